import { Agent, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { sendHttpRequest } from "./http-request.js";

describe("sendHttpRequest", () => {
  it("sends through the given agent, whose pool keeps the connection", async () => {
    const server = createServer((_req, res) => res.end("pong"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const agent = new Agent({ keepAlive: true });
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await sendHttpRequest(new URL(`http://127.0.0.1:${port}/ping`), {
        method: "GET",
        headers: {},
        timeoutMs: 10_000,
        agent,
      });
      expect(answer).toEqual({ status: 200, text: "pong" });
      // The socket went back to this agent's pool, not the global one.
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
