/**
 * One long-lived `git cat-file --batch` process that answers whole-file reads for a scan, instead
 * of one git process per file. Requests are written as they come and answered in order (git's
 * batch protocol is strictly sequential), so concurrent readers simply queue.
 *
 * Objects above the size cap are read off the pipe and dropped without being buffered.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { ContentError } from "../../core/types.js";
import { gitEnvironment, SAFE_CONFIG, type GitProcessOptions } from "./run-git.js";

export interface CatFileOptions extends GitProcessOptions {
  /** Objects larger than this fail with `ContentError("too-large")`. */
  readonly maxBytes: number;
}

interface Request {
  readonly name: string;
  /** What to call the object in error messages (the file path). */
  readonly label: string;
  resolve(content: Buffer | null): void;
  reject(error: Error): void;
}

interface Body {
  /** Bytes still to come, including the LF git writes after the content. */
  remaining: number;
  readonly size: number;
  /** `undefined` while the content is being dropped (too large, not a blob). */
  readonly chunks: Buffer[] | undefined;
  readonly error?: ContentError;
}

const CLOSE_GRACE_MS = 2000;

export class CatFileBatch {
  private child: ChildProcessWithoutNullStreams | undefined;
  private exited: Promise<void> | undefined;
  private readonly queue: Request[] = [];
  private headerParts: Buffer[] = [];
  private body: Body | undefined;
  private failure: Error | undefined;
  private closed = false;

  constructor(private readonly options: CatFileOptions) {}

  /**
   * Contents of `name` (`<commit>:<path>` or `:0:<path>`), or `null` when git says it is missing.
   * Rejects with `ContentError` when it is too large, not a blob, or git is gone.
   */
  read(name: string, label: string): Promise<Buffer | null> {
    // The batch protocol is line-based and git strips a trailing CR from each request line.
    if (name.includes("\n") || name.endsWith("\r")) {
      return Promise.reject(new ContentError(`${label}: a path with a line break cannot be read through git cat-file`, "unavailable"));
    }
    if (this.closed) return Promise.reject(new ContentError(`${label}: the git reader is closed`, "unavailable"));
    if (this.failure) return Promise.reject(this.unavailable(label));
    return new Promise((resolve, reject) => {
      this.queue.push({ name, label, resolve, reject });
      this.start().stdin.write(`${name}\n`);
    });
  }

  /** Ends the process after the pending reads are answered; kills it if it lingers. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child || !this.exited) return;
    child.stdin.end();
    const timer = setTimeout(() => child.kill(), CLOSE_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn("git", [...SAFE_CONFIG, "--no-pager", "cat-file", "--batch"], {
      cwd: this.options.cwd,
      env: gitEnvironment(this.options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString("utf8");
    });
    // A write after git died must not crash the process; the close handler rejects the readers.
    child.stdin.on("error", () => {});
    this.exited = new Promise((resolve) => {
      child.on("error", (error) => {
        this.fail(new Error(`could not run git cat-file: ${error.message}`));
        resolve();
      });
      child.on("close", (code) => {
        this.fail(new Error(`git cat-file exited (${code ?? "signal"})${stderr ? `: ${stderr.trim().split("\n")[0]}` : ""}`));
        resolve();
      });
    });
    return child;
  }

  private onData(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const request = this.queue[0];
      if (!request) {
        this.fail(new Error("git cat-file wrote output nobody asked for"));
        this.child?.kill();
        return;
      }
      if (this.body) {
        const take = Math.min(this.body.remaining, chunk.length - offset);
        this.body.chunks?.push(chunk.subarray(offset, offset + take));
        this.body.remaining -= take;
        offset += take;
        if (this.body.remaining === 0) this.finishBody(request, this.body);
        continue;
      }
      const newline = chunk.indexOf(10, offset);
      if (newline === -1) {
        this.headerParts.push(chunk.subarray(offset));
        return;
      }
      this.headerParts.push(chunk.subarray(offset, newline));
      offset = newline + 1;
      const header = Buffer.concat(this.headerParts).toString("utf8");
      this.headerParts = [];
      this.onHeader(request, header);
    }
  }

  private onHeader(request: Request, header: string): void {
    if (header === `${request.name} missing`) {
      this.queue.shift();
      request.resolve(null);
      return;
    }
    // `<oid> <type> <size>`
    const match = /^[0-9a-f]{40,64} (\S+) (\d+)$/.exec(header);
    if (!match) {
      this.queue.shift();
      request.reject(new ContentError(`${request.label}: git could not read it (${header.slice(0, 200)})`, "unavailable"));
      return;
    }
    const type = match[1]!;
    const size = Number(match[2]);
    let error: ContentError | undefined;
    if (type !== "blob") error = new ContentError(`${request.label}: not a file (${type})`, "unavailable");
    else if (size > this.options.maxBytes) {
      error = new ContentError(
        `${request.label}: ${formatMiB(size)} is larger than the ${formatMiB(this.options.maxBytes)} read limit`,
        "too-large",
      );
    }
    this.body = { remaining: size + 1, size, chunks: error ? undefined : [], error };
  }

  private finishBody(request: Request, body: Body): void {
    this.queue.shift();
    this.body = undefined;
    if (body.error || !body.chunks) {
      request.reject(body.error ?? new ContentError(`${request.label}: could not be read`, "unavailable"));
      return;
    }
    const content = Buffer.concat(body.chunks);
    request.resolve(content.subarray(0, body.size));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const request of this.queue.splice(0)) request.reject(this.unavailable(request.label));
  }

  private unavailable(label: string): ContentError {
    return new ContentError(`${label}: ${this.failure?.message ?? "git cat-file is not running"}`, "unavailable");
  }
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
