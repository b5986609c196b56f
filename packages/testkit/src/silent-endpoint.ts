import { createServer, type Socket } from "node:net";

export interface SilentEndpoint {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A loopback TCP endpoint that accepts connections and never answers, like
 * a service behind a broken network path: for proving that a client times
 * out instead of hanging.
 */
export async function startSilentEndpoint(): Promise<SilentEndpoint> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const socket of sockets.splice(0)) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Settles like `promise`, or resolves to "still waiting after N s" once `ms`
 * pass first: a hang shows up as a failed assertion, not a test timeout.
 */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`still waiting after ${ms / 1000} s`), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}
