import { createServer, type Server, type Socket } from "node:net";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { afterEach, describe, expect, it } from "vitest";
import { awsClientConfig } from "./clients.js";

// Stand-in: a loopback TCP endpoint that accepts the connection and never
// answers, like an AWS endpoint behind a broken network path.
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

describe("awsClientConfig", () => {
  it("makes an AWS call that never answers fail instead of hanging", async () => {
    const client = new AutoScalingClient({
      ...awsClientConfig({ region: "us-east-1", requestTimeoutMs: 300 }),
      maxAttempts: 1,
      endpoint: await silentEndpoint(),
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" },
    });
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve("still waiting after 5 s"), 5_000);
    });
    const outcome = await Promise.race([
      client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["g"] })).then(
        () => "answered",
        (error: Error) => `failed: ${error.name}`,
      ),
      hung,
    ]);
    clearTimeout(timer);
    client.destroy();
    expect(outcome).toMatch(/^failed: /);
  });
});
