#!/usr/bin/env node
import { runCli } from "./cli.js";

// Ctrl-C and SIGTERM (a cancelled CI job) end the current wait so a change
// set not yet executed is cleaned up; a second signal quits at once.
process.exitCode = await runCli(process.argv.slice(2), { signals: process });
