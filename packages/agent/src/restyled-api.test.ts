import { type RestyledApiStandIn, startRestyledApi } from "@restyled/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RestyledApiError } from "./errors.js";
import { RestyledApi } from "./restyled-api.js";

let standIn: RestyledApiStandIn;
beforeEach(async () => {
  standIn = await startRestyledApi({ token: "right-token" });
});
afterEach(() => standIn.close());

function client(token = "right-token", attempts = 3) {
  return new RestyledApi({ baseUrl: standIn.url, token, attempts, retryDelayMs: 5 });
}

const newMachine = {
  name: "restyled-test-i-0123456789abcdef0",
  // Nothing listens there: restyled.io's `docker info` fails, so the machine comes back disabled.
  host: "tcp://127.0.0.1:1",
  certificateAuthority: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----",
  certificate: "-----BEGIN CERTIFICATE-----\ncert\n-----END CERTIFICATE-----",
  privateKey: "-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----",
};

describe("RestyledApi", () => {
  it("creates, finds, updates and deletes a machine per the contract", async () => {
    const api = client();
    const created = await api.createMachine(newMachine);
    expect(created).toMatchObject({ name: newMachine.name, enabled: false });
    expect(await api.findMachine(newMachine.name)).toMatchObject({ id: created.id });
    expect((await api.setEnabled(created.id, true)).enabled).toBe(true);
    await api.deleteMachine(created.id);
    expect(await api.findMachine(newMachine.name)).toBeUndefined();

    const post = standIn.requests.find((r) => r.method === "POST");
    expect(post?.headers).toMatchObject({
      authorization: "token right-token",
      accept: "application/json",
      "content-type": "application/json",
    });
    expect(JSON.parse(post!.body.toString())).toEqual(newMachine);
    const del = standIn.requests.find((r) => r.method === "DELETE");
    expect(del?.headers["content-type"]).toBeUndefined();
  });

  it("says the token may be wrong on 404, and does not retry it", async () => {
    const error = await client("wrong-token")
      .listMachines()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestyledApiError);
    expect((error as Error).message).toContain("the restyled.io API token is wrong");
    expect((error as Error).message).not.toContain("wrong-token");
    expect(standIn.requests).toHaveLength(1);
  });

  it("retries 5xx with backoff and then succeeds", async () => {
    standIn.injectFailure({ method: "GET", path: /^\/admin\/machines$/, status: 503, times: 2 });
    expect(await client().listMachines()).toEqual([]);
    expect(standIn.requests).toHaveLength(3);
  });

  it("gives up after the bounded attempts, naming the status", async () => {
    standIn.injectFailure({ method: "PATCH", status: 500, times: 10 });
    const error = await client()
      .setEnabled(1, false)
      .catch((e: unknown) => e);
    expect((error as RestyledApiError).status).toBe(500);
    expect((error as Error).message).toMatch(/^PATCH \/admin\/machines\/1 answered 500/);
    expect(standIn.requests).toHaveLength(3);
  });

  it("does not retry a client error such as 400", async () => {
    const error = await client()
      .createMachine({ ...newMachine, host: "" })
      .catch((e: unknown) => e);
    expect((error as RestyledApiError).status).toBe(400);
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.machines.size).toBe(0);
  });

  it("explains an answer that is not JSON", async () => {
    standIn.injectFailure({ method: "GET", status: 200, body: "<html>maintenance</html>" });
    const error = await client()
      .listMachines()
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain("a body that is not JSON: <html>maintenance</html>");
  });

  it("reports a server that is down as unreachable after its attempts", async () => {
    await standIn.close();
    const error = await client("right-token", 2)
      .listMachines()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestyledApiError);
    expect((error as Error).message).toContain("restyled.io did not answer");
  });

  it("stops retrying once its signal aborts", async () => {
    standIn.injectFailure({ status: 500, times: 10 });
    const controller = new AbortController();
    controller.abort();
    await expect(
      client("right-token", 5).listMachines({ signal: controller.signal }),
    ).rejects.toThrow(/answered 500/);
    expect(standIn.requests).toHaveLength(1);
  });
});
