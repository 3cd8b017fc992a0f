/**
 * `streamGit` with git's stdout drained by a worker thread, for the one large read of a scan (the
 * diff of the change).
 *
 * Why: the scan parses the diff on the main thread while git writes it. A pipe (or libuv's socket
 * pair) holds a few hundred KiB; whenever the main thread is busy for a moment (a garbage
 * collection, a large file's added lines being packed, modules still loading), the buffer fills
 * and git stops writing until the main thread reads again. Measured on the bench's 40 MB change:
 * git alone 0.45 s, reading its output into memory 0.58 s, parsing that 0.38 s, but reading and
 * parsing interleaved 0.86-1.08 s: git and the parser took turns on two cores. The worker does
 * nothing but read, so git never waits for the parser; the chunks wait in memory instead.
 *
 * The thread is started when the change is opened (OffThreadGitReader), so it has booted by the time
 * the diff is asked for: measured on a one-file staged change, about 15 ms more than reading here
 * (a thread started only when needed cost about 30 ms).
 *
 * Memory stays bounded: the worker stops reading (git then waits, as before) once
 * `MAX_AHEAD_BYTES` have been handed over and not yet consumed, and resumes at half of it.
 *
 * The worker's code is a string evaluated as CommonJS, not a module file: the same code then runs
 * from dist/ and from the TypeScript sources under test, with nothing to copy at build time. It
 * only spawns git with the arguments and environment it is given and forwards bytes.
 */
import { Worker } from "node:worker_threads";
import { DEFAULT_MAX_BYTES, gitEnvironment, GitSourceError, MAX_STDERR_BYTES, SAFE_CONFIG, type GitResult, type StreamGitOptions } from "./run-git.js";

/** Bytes handed to the main thread and not yet consumed, beyond which the worker stops reading. */
export const MAX_AHEAD_BYTES = 32 * 1024 * 1024;
/** The worker forwards batches of about this size (one message each), not every 64 KiB read. */
const BATCH_BYTES = 256 * 1024;

type FromWorker =
  | { readonly type: "data"; readonly chunk: Uint8Array }
  | { readonly type: "error"; readonly message: string }
  | { readonly type: "close"; readonly code: number | null; readonly stderr: string };

type ToWorker = { readonly type: "ack"; readonly bytes: number } | { readonly type: "kill" };

const WORKER_SOURCE = `
"use strict";
const { spawn } = require("node:child_process");
const { parentPort } = require("node:worker_threads");
// The thread starts before the scan knows what to run (it boots while the range and the config are
// read); the first message says it.
parentPort.once("message", (start) => run(start));
function run({ args, cwd, env, maxAhead, batchBytes, maxStderr }) {
const child = spawn("git", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
let batch = [];
let batchLength = 0;
let ahead = 0;
let paused = false;
let stderr = "";
const flush = () => {
  if (batchLength === 0) return;
  const chunk = batch.length === 1 && batch[0].byteOffset === 0 && batch[0].buffer.byteLength === batchLength ? batch[0] : Buffer.concat(batch, batchLength);
  const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
  ahead += bytes.length;
  batch = [];
  batchLength = 0;
  // A chunk that owns its whole ArrayBuffer moves to the main thread without a copy.
  const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length;
  parentPort.postMessage({ type: "data", chunk: bytes }, own ? [bytes.buffer] : []);
  if (ahead > maxAhead && !paused) {
    paused = true;
    child.stdout.pause();
  }
};
let scheduled = false;
child.stdout.on("data", (chunk) => {
  batch.push(chunk);
  batchLength += chunk.length;
  if (batchLength >= batchBytes) flush();
  else if (!scheduled) {
    // What one turn of the event loop read goes out together, so a slow git is not held back by the batch size.
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      flush();
    });
  }
});
child.stderr.on("data", (chunk) => {
  if (stderr.length < maxStderr) stderr += chunk.toString("utf8");
});
child.on("error", (error) => {
  parentPort.postMessage({ type: "error", message: error.message });
  // git never started: there will be no close to wait for.
  if (child.pid === undefined) parentPort.postMessage({ type: "close", code: null, stderr });
});
child.on("close", (code) => {
  flush();
  parentPort.postMessage({ type: "close", code, stderr });
});
parentPort.on("message", (message) => {
  if (message.type === "kill") child.kill();
  else if (message.type === "ack") {
    ahead -= message.bytes;
    if (paused && ahead <= maxAhead / 2) {
      paused = false;
      child.stdout.resume();
    }
  }
});
}
`;

/**
 * A reader thread started ahead of time, so its start-up (a few tens of milliseconds, on another
 * core) is over by the time the diff is asked for. `stream` runs git in it and hands its stdout to
 * `onStdout` on this thread, in order, with `streamGit`'s contract: resolves with the exit code
 * (never rejects on it), rejects with what `onStdout` threw, with `too-large` past `maxBytes`, or
 * when git cannot run. One thread serves one `stream` call (a second starts its own); `close()`
 * stops it if unused.
 */
export class OffThreadGitReader {
  private worker: Worker | undefined = new Worker(WORKER_SOURCE, { eval: true, stdout: false, stderr: false });

  private exited = false;

  constructor() {
    // An idle reader must not keep the process alive, nor its failure to start crash it: a thread
    // that is gone before `stream` is replaced there.
    this.worker!.unref();
    this.worker!.on("error", () => {});
    this.worker!.on("exit", () => (this.exited = true));
  }

  stream(args: readonly string[], options: StreamGitOptions & { readonly maxAheadBytes?: number }): Promise<Omit<GitResult, "stdout">> {
    const ready = this.exited ? undefined : this.worker;
    const worker = ready ?? new Worker(WORKER_SOURCE, { eval: true, stdout: false, stderr: false });
    this.worker = undefined;
    worker.ref();
    return pump(worker, args, options);
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

function pump(worker: Worker, args: readonly string[], options: StreamGitOptions & { readonly maxAheadBytes?: number }): Promise<Omit<GitResult, "stdout">> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    worker.removeAllListeners();
    worker.postMessage({
      args: [...SAFE_CONFIG, "--no-pager", ...args],
      cwd: options.cwd,
      env: gitEnvironment(options.env),
      maxAhead: options.maxAheadBytes ?? MAX_AHEAD_BYTES,
      batchBytes: BATCH_BYTES,
      maxStderr: MAX_STDERR_BYTES,
    });
    const send = (message: ToWorker) => worker.postMessage(message);
    let outBytes = 0;
    let stopped = false;
    let failure: unknown;
    let spawnError: string | undefined;
    const stop = (why: unknown) => {
      failure ??= why;
      if (!stopped) send({ type: "kill" });
      stopped = true;
    };
    const finish = (settle: () => void) => {
      worker.removeAllListeners();
      void worker.terminate();
      settle();
    };
    worker.on("message", (message: FromWorker) => {
      if (message.type === "data") {
        // Output still arriving after a stop is dropped.
        if (stopped) return;
        outBytes += message.chunk.length;
        if (outBytes > maxBytes) {
          stop(new GitSourceError(`git ${args[0] ?? ""} printed more than ${Math.round(maxBytes / 1024 / 1024)} MiB; scan a smaller range`, "too-large"));
          return;
        }
        try {
          options.onStdout(Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.length));
        } catch (error) {
          stop(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        send({ type: "ack", bytes: message.chunk.length });
      } else if (message.type === "error") {
        spawnError ??= message.message;
      } else {
        if (failure !== undefined) return finish(() => reject(failure));
        if (spawnError !== undefined) return finish(() => reject(new GitSourceError(`could not run git: ${spawnError}`, "git-failed")));
        finish(() => resolve({ code: message.code ?? 1, stderr: message.stderr }));
      }
    });
    worker.on("error", (error) => finish(() => reject(new GitSourceError(`could not read git's output: ${error.message}`, "git-failed"))));
    worker.on("exit", (code) => finish(() => reject(new GitSourceError(`the thread reading git's output stopped (exit ${code})`, "git-failed"))));
  });
}
