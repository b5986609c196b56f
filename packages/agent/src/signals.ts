/** Minimal view of `process` for signals, so tests can send them to an emitter. */
export interface SignalTarget {
  on(event: "SIGTERM" | "SIGINT", listener: () => void): unknown;
  off(event: "SIGTERM" | "SIGINT", listener: () => void): unknown;
}

/**
 * Routes SIGTERM and SIGINT to `onSignal` (the agent counts them: the first
 * drains, the second forces). Returns a function that removes the handlers.
 */
export function handleSignals(
  onSignal: (name: "SIGTERM" | "SIGINT", count: number) => void,
  target: SignalTarget = process,
): () => void {
  let count = 0;
  const term = () => onSignal("SIGTERM", ++count);
  const int = () => onSignal("SIGINT", ++count);
  target.on("SIGTERM", term);
  target.on("SIGINT", int);
  return () => {
    target.off("SIGTERM", term);
    target.off("SIGINT", int);
  };
}
