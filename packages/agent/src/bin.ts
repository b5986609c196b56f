#!/usr/bin/env -S node --max-semi-space-size=1 --v8-pool-size=1
// A 1 MB young generation (the default grows to 16 MB per semi-space) and one
// V8 helper thread keep an idle agent's resident memory well under its 80 MB
// budget; the agent allocates little, so extra scavenges cost nothing that matters.
import { main } from "./cli.js";

// Exit explicitly: keep-alive sockets (Docker, AWS) must not hold the process open.
process.exit(await main(process.argv.slice(2)));
