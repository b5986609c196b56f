#!/usr/bin/env node
import { runCli } from "./cli.js";

// The first Ctrl-C ends the current wait so an unexecuted change set is
// cleaned up; a second one quits at once.
const interrupted = new AbortController();
process.on("SIGINT", () => {
  if (interrupted.signal.aborted) process.exit(130);
  console.error("interrupted: cleaning up (Ctrl-C again to quit now)");
  interrupted.abort();
});

process.exitCode = await runCli(process.argv.slice(2), { signal: interrupted.signal });
