// Against the loopback stand-in of restyled.io from @restyled/testkit, which
// answers 404 to a wrong token as restyled.io does.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type RestyledApiStandIn, startRestyledApi } from "@restyled/testkit/restyled-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, exitCodeFor } from "./errors.js";
import { createRestyledApi, RestyledApiError } from "./restyled-api.js";

const TOKEN = "test-token-0123456789";
let api: RestyledApiStandIn;

beforeEach(async () => {
  api = await startRestyledApi({ token: TOKEN });
});
afterEach(async () => {
  await api.close();
});

async function rejection(promise: Promise<unknown>): Promise<RestyledApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RestyledApiError);
  return error as RestyledApiError;
}

describe("createRestyledApi", () => {
  it("registers, lists, disables and deletes a machine with the contract's headers", async () => {
    const client = createRestyledApi({ baseUrl: `${api.url}/`, token: TOKEN });
    const created = await client.createMachine({
      name: "restyled-test-i-0abc",
      host: "tcp://127.0.0.1:1",
      certificateAuthority: "ca",
      certificate: "cert",
      privateKey: "key",
    });
    expect(created).toMatchObject({ name: "restyled-test-i-0abc", enabled: false });
    expect((await client.listMachines()).map((m) => m.name)).toEqual(["restyled-test-i-0abc"]);
    expect(await client.getMachine(created.id)).toMatchObject({ id: created.id });
    const enabled = await client.setEnabled(created.id, true);
    expect(enabled.enabled).toBe(true);
    await client.deleteMachine(created.id);
    expect(api.machines.size).toBe(0);

    const post = api.requests.find((r) => r.method === "POST")!;
    expect(post.headers.authorization).toBe(`token ${TOKEN}`);
    expect(post.headers.accept).toBe("application/json");
    expect(post.headers["content-type"]).toBe("application/json");
    expect(api.requests.find((r) => r.method === "GET")!.headers["content-type"]).toBeUndefined();
  });

  it("reads the machines' state", async () => {
    // The stand-in's queueDepth setter does not reach its handler (Object.assign
    // copies the getter's value), so the answer is injected.
    api.injectFailure({
      method: "GET",
      path: /state$/,
      status: 200,
      body: JSON.stringify({ queueDepth: 4, jobCounts: { "m-1": 2 }, containerProcesses: {} }),
    });
    const client = createRestyledApi({ baseUrl: api.url, token: TOKEN });
    expect(await client.getState()).toEqual({
      queueDepth: 4,
      jobCounts: { "m-1": 2 },
      containerProcesses: {},
    });
    expect(await client.getState()).toEqual({
      queueDepth: null,
      jobCounts: {},
      containerProcesses: {},
    });
  });

  it("says the token may be wrong when restyled.io answers 404", async () => {
    const client = createRestyledApi({ baseUrl: api.url, token: "wrong-token" });
    const error = await rejection(client.listMachines());
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      "GET /admin/machines answered 404: not found, or the restyled.io API token is wrong (restyled.io answers 404 to a missing or bad token)",
    );
    expect(error.message).not.toContain("wrong-token");
  });

  it("refuses to send the token over plain http to a host that is not loopback", () => {
    for (const baseUrl of ["http://restyled.example", "http://10.0.0.1:8080", "ftp://x"]) {
      expect(() => createRestyledApi({ baseUrl, token: TOKEN })).toThrow(ConfigError);
    }
    expect(() => createRestyledApi({ baseUrl: "http://restyled.example", token: TOKEN })).toThrow(
      /must use https: plain http is allowed only to loopback/,
    );
    expect(() => createRestyledApi({ baseUrl: "https://u:p@restyled.io", token: TOKEN })).toThrow(
      /must not carry credentials/,
    );
    expect(api.requests).toEqual([]);
  });

  it("reports a 5xx as unavailable and retries it when asked", async () => {
    api.injectFailure({ method: "GET", path: /machines$/, status: 503, times: 1 });
    const once = createRestyledApi({ baseUrl: api.url, token: TOKEN });
    const error = await rejection(once.listMachines());
    expect(error.message).toMatch(/^GET \/admin\/machines answered 503: /);
    expect(exitCodeFor(error)).toBe(69);

    api.injectFailure({ method: "GET", path: /machines$/, status: 502, times: 1 });
    const retrying = createRestyledApi({
      baseUrl: api.url,
      token: TOKEN,
      attempts: 2,
      retryDelayMs: 1,
    });
    expect(await retrying.listMachines()).toEqual([]);
  });

  it("does not retry a 4xx", async () => {
    api.injectFailure({ method: "PATCH", status: 400, times: 1 });
    const client = createRestyledApi({
      baseUrl: api.url,
      token: TOKEN,
      attempts: 3,
      retryDelayMs: 1,
    });
    const error = await rejection(client.setEnabled(1, true));
    expect(error.status).toBe(400);
    expect(api.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
  });

  it("refuses a state without jobCounts", async () => {
    api.injectFailure({ method: "GET", path: /state$/, status: 200, body: "{}" });
    const error = await rejection(createRestyledApi({ baseUrl: api.url, token: TOKEN }).getState());
    expect(error.message).toBe("GET /admin/machines/state answered without a jobCounts object");
  });

  it("names the call when restyled.io is not listening", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = createRestyledApi({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN });
    const error = await rejection(client.listMachines());
    expect(error.message).toMatch(
      /^GET \/admin\/machines: restyled\.io did not answer \(ECONNREFUSED/,
    );
    expect(exitCodeFor(error)).toBe(69);
  });

  it("gives up on a server that never answers after the request timeout", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const client = createRestyledApi({
        baseUrl: `http://127.0.0.1:${port}`,
        token: TOKEN,
        requestTimeoutMs: 100,
      });
      const error = await rejection(client.getState());
      expect(error.message).toMatch(/did not answer \(no answer within 100 ms\)/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("stops at once when its signal aborts", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const controller = new AbortController();
      const client = createRestyledApi({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN });
      const pending = client.listMachines({ signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
