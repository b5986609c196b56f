// restyled.io is a loopback stand-in built to the admin API contract
// (@restyled/testkit); the HTTP traffic is real.
import {
  findFreePort,
  type HttpStandIn,
  sendJson,
  startHttpStandIn,
  startRestyledApi,
} from "@restyled/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { RestyledApiError } from "../src/errors.js";
import { readMachinesState, summarizeJobCounts } from "../src/restyled-api.js";

const TOKEN = "restyled-test-token";
const standIns: HttpStandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
});

async function answering(status: number, body: unknown): Promise<HttpStandIn> {
  const standIn = await startHttpStandIn((_request, response) => sendJson(response, status, body));
  standIns.push(standIn);
  return standIn;
}

describe("readMachinesState", () => {
  it("reads the state endpoint of the restyled.io stand-in with the token", async () => {
    const api = await startRestyledApi({ token: TOKEN });
    standIns.push(api);
    const state = await readMachinesState({ url: api.url, token: TOKEN });
    expect(state).toEqual({ jobCounts: {} });
    const [request] = api.requests;
    expect(request?.url).toBe("/admin/machines/state");
    expect(request?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(request?.headers.accept).toBe("application/json");
  });

  it("says the token may be wrong when restyled.io answers 404", async () => {
    const api = await startRestyledApi({ token: TOKEN });
    standIns.push(api);
    const error = await readMachinesState({ url: api.url, token: "wrong" }).catch((e) => e);
    expect(error).toBeInstanceOf(RestyledApiError);
    expect(error.message).toMatch(/answered 404: .*the API token may be wrong/);
    expect(error.message).not.toContain('wrong"');
  });

  it("sums job counts and counts busy machines", async () => {
    const standIn = await answering(200, {
      queueDepth: null,
      jobCounts: { "restyled-prod-i-1": 2, "restyled-prod-i-2": 0, "restyled-prod-i-3": 1 },
      containerProcesses: {},
    });
    const state = await readMachinesState({ url: standIn.url, token: TOKEN });
    expect(summarizeJobCounts(state)).toEqual({ inFlight: 3, busyMachines: 2 });
  });

  it.each([
    [500, { error: "boom" }, /answered 500: .*boom/],
    [200, { queueDepth: 1 }, /without a jobCounts object/],
    [200, { jobCounts: { m: -1 } }, /jobCounts\["m"\] is -1, not a job count/],
    [200, { jobCounts: { m: "2" } }, /jobCounts\["m"\] is "2"/],
    [200, [], /without a jobCounts object/],
  ])("rejects an answer %d %j", async (status, body, message) => {
    const standIn = await answering(status, body);
    await expect(readMachinesState({ url: standIn.url, token: TOKEN })).rejects.toThrowError(
      message,
    );
  });

  it("rejects a body that is not JSON", async () => {
    const standIn = await startHttpStandIn((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html>maintenance</html>");
    });
    standIns.push(standIn);
    await expect(readMachinesState({ url: standIn.url, token: TOKEN })).rejects.toThrowError(
      /not JSON/,
    );
  });

  it("names the failure when nothing listens", async () => {
    const port = await findFreePort();
    await expect(
      readMachinesState({ url: `http://127.0.0.1:${port}`, token: TOKEN }),
    ).rejects.toThrowError(/\/admin\/machines\/state failed: ECONNREFUSED/);
  });
});
