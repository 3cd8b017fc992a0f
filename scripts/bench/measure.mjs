/** Runs a command and reports wall time, output and peak resident memory (VmHWM via GNU time when present). */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";

export async function measure(command, args, { cwd, env, keepStdout = true, timeoutSeconds } = {}) {
  const memFile = join(tmpdir(), `pr-sentinel-bench-${process.pid}-${Date.now()}.mem`);
  const useTime = existsSync(GNU_TIME);
  const [cmd, argv] = useTime ? [GNU_TIME, ["-f", "%M", "-o", memFile, command, ...args]] : [command, args];
  const started = performance.now();
  const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out = [];
  let outBytes = 0;
  const err = [];
  child.stdout.on("data", (chunk) => {
    outBytes += chunk.length;
    if (keepStdout) out.push(chunk);
  });
  child.stderr.on("data", (chunk) => err.push(chunk));
  let timedOut = false;
  const timer =
    timeoutSeconds === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, timeoutSeconds * 1000);
  const code = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  let peakKiB;
  if (useTime && existsSync(memFile)) {
    peakKiB = Number(readFileSync(memFile, "utf8").trim().split("\n").pop());
    rmSync(memFile, { force: true });
  }
  return {
    code,
    timedOut,
    seconds,
    stdout: keepStdout ? Buffer.concat(out).toString("utf8") : "",
    stdoutBytes: outBytes,
    stderr: Buffer.concat(err).toString("utf8"),
    peakMiB: peakKiB === undefined || Number.isNaN(peakKiB) ? undefined : peakKiB / 1024,
  };
}

/** The fastest of `runs` runs (the others warm caches), with the largest peak memory seen. */
export async function bestOf(runs, command, args, options) {
  let best;
  let peak;
  for (let i = 0; i < runs; i++) {
    const result = await measure(command, args, options);
    if (result.peakMiB !== undefined) peak = Math.max(peak ?? 0, result.peakMiB);
    if (!best || result.seconds < best.seconds) best = result;
  }
  return { ...best, peakMiB: peak };
}
