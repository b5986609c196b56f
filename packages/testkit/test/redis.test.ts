import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startRedis } from "../src/redis.js";

function sendCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(command));
    socket.on("data", (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.on("error", reject);
  });
}

describe("startRedis", () => {
  it("serves on a loopback port and leaves nothing listening after stop", async () => {
    const redis = await startRedis();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await sendCommand(redis.port, "PING\r\n")).toBe("+PONG\r\n");
    await redis.stop();
    await expect(sendCommand(redis.port, "PING\r\n")).rejects.toThrow(/ECONNREFUSED/);
  });

  it("requires the password it was given", async () => {
    const redis = await startRedis({ password: "s3cret/with:chars" });
    try {
      expect(redis.url).toBe(`redis://:s3cret%2Fwith%3Achars@127.0.0.1:${redis.port}`);
      expect(await sendCommand(redis.port, "PING\r\n")).toMatch(/^-NOAUTH/);
    } finally {
      await redis.stop();
    }
  });
});
