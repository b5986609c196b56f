/** What abortOnSignals needs of `process`, so a test can send it signals. */
export interface SignalSource {
  on(event: "SIGINT" | "SIGTERM", listener: () => void): unknown;
  exit(code: number): never;
}

/**
 * The first SIGINT or SIGTERM aborts the returned signal: the command stops
 * waiting, deletes what it prepared and exits 130. A second one exits at once.
 */
export function abortOnSignals(source: SignalSource, say: (line: string) => void): AbortSignal {
  const controller = new AbortController();
  const onSignal = (name: string) => () => {
    if (controller.signal.aborted) source.exit(130);
    say(`${name}: cleaning up (send it again to quit now)`);
    controller.abort();
  };
  source.on("SIGINT", onSignal("SIGINT"));
  source.on("SIGTERM", onSignal("SIGTERM"));
  return controller.signal;
}
