#!/usr/bin/env node
import { runCli } from "./cli.js";

const code = await runCli();
// Stopped by a signal: key generation still running on the thread pool would
// hold the process until it finishes; nothing of ours is left to flush.
if (code === 130) process.exit(code);
process.exitCode = code;
