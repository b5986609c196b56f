import { createServer, type Server, type Socket } from "node:net";
import { SSMClient } from "@aws-sdk/client-ssm";
import { afterEach, describe, expect, it } from "vitest";
import { readParameter, ssmClientConfig } from "./ssm.js";

// Stand-in: a loopback TCP endpoint that accepts the connection and never
// answers, like an SSM endpoint behind a broken network path.
let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise((resolve) => server?.close(resolve));
});

async function silentEndpoint(): Promise<string> {
  server = createServer((socket) => {
    sockets.push(socket);
    socket.resume();
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe("ssmClientConfig", () => {
  it("makes an SSM call that never answers fail instead of hanging the run", async () => {
    const client = new SSMClient({
      ...ssmClientConfig({ region: "us-east-1", requestTimeoutMs: 300 }),
      maxAttempts: 1,
      endpoint: await silentEndpoint(),
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
    });
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve("still waiting after 5 s"), 5_000);
    });
    const outcome = await Promise.race([
      readParameter(client, "/restyled/test/redis-url").then(
        () => "answered",
        (error: Error) => `failed: ${error.message}`,
      ),
      hung,
    ]);
    clearTimeout(timer);
    client.destroy();
    expect(outcome).toMatch(/^failed: ssm:GetParameter on \/restyled\/test\/redis-url failed/);
  });
});
