#!/usr/bin/env -S node --max-semi-space-size=2
// The flag: a scan holds the whole change (~110 MB of packed text for a 100 MB diff) while it makes
// short-lived strings for the lines it reads; V8's default 16 MiB semi-spaces then add ~50 MiB to
// the peak for no gain in time (npm run bench). V8 reads it only at start, hence the shebang.
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
