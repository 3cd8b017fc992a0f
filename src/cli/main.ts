#!/usr/bin/env -S node --max-semi-space-size=2
// The flag: a scan holds the whole change (~110 MB of packed text for a 100 MB diff) while it makes
// short-lived strings for the lines it reads; V8's default 16 MiB semi-spaces then add ~50 MiB to
// the peak for no gain in time (npm run bench). V8 reads it only at start, hence the shebang.
import { enableCompileCache } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";

// Start-up compiles ~700 modules (zod, yaml, the checks' parsers) before the first git command; a
// pre-commit hook pays that on every commit. Node's compile cache keeps their bytecode between runs
// (measured: `--version` 0.45 s -> 0.36 s). It lives in the user's own cache directory, not a shared
// /tmp one another user could write to; NODE_COMPILE_CACHE moves it and NODE_DISABLE_COMPILE_CACHE
// turns it off, as for any Node program. Failing to create it (read-only home) only costs the speed.
enableCompileCache?.(process.env.NODE_COMPILE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "pr-sentinel", "node-compile-cache"));

// After the cache is on, or the modules would be compiled without it (static imports run first).
const { runCli } = await import("./run-cli.js");

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
