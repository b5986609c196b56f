/**
 * The first SIGINT/SIGTERM asks the loop to stop after the current run; a
 * second one exits at once. Returns a function that removes the handlers.
 */
export function onShutdown(
  stop: () => void,
  options: {
    forceExit?: (code: number) => void;
    /** Where the signals arrive; tests pass their own emitter. */
    target?: Pick<NodeJS.EventEmitter, "on" | "off">;
  } = {},
): () => void {
  const forceExit = options.forceExit ?? ((code: number) => process.exit(code));
  const target = options.target ?? process;
  let received = 0;
  const handle = () => {
    received += 1;
    if (received === 1) stop();
    else forceExit(130);
  };
  target.on("SIGINT", handle);
  target.on("SIGTERM", handle);
  return () => {
    target.off("SIGINT", handle);
    target.off("SIGTERM", handle);
  };
}

/** Resolves after `ms`, or early when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
