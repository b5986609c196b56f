#!/usr/bin/env node
import { main } from "./cli.js";

// Exit explicitly: keep-alive sockets (Docker, AWS) must not hold the process open.
process.exit(await main(process.argv.slice(2)));
