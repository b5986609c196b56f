/**
 * The first SIGINT/SIGTERM asks the loop to stop after the current run; a
 * second one exits at once. Returns a function that removes the handlers.
 */
export function onShutdown(
  stop: () => void,
  forceExit: (code: number) => void = process.exit,
): () => void {
  let received = 0;
  const handle = () => {
    received += 1;
    if (received === 1) stop();
    else forceExit(130);
  };
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
  return () => {
    process.off("SIGINT", handle);
    process.off("SIGTERM", handle);
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
