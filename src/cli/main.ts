#!/usr/bin/env node
import { runCli } from "./run-cli.js";

// `pr-sentinel scan | head` closes stdout early; that is the reader's choice, not a crash.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

// exitCode rather than process.exit(), so a large report on a pipe is flushed before node exits.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
