/**
 * Runs git without letting the repository run programs or reshape the output.
 *
 * A scanned repository is hostile: its `.git/config` can name external diff drivers, textconv
 * filters, an fsmonitor hook or a pager, each of which git would execute. The `-c` overrides and
 * flags here switch those off, and pin the output format the parser expects (prefixes, quoting,
 * colors) whatever the user's or the repository's config says.
 */
import { spawn } from "node:child_process";

export const SAFE_CONFIG: readonly string[] = [
  "-c", "core.quotePath=false",
  "-c", "core.fsmonitor=false",
  "-c", "core.pager=cat",
  "-c", "diff.external=",
  "-c", "diff.noprefix=false",
  "-c", "diff.mnemonicPrefix=false",
  "-c", "diff.relative=false",
  "-c", "color.ui=never",
];

/** Git failed, or is not usable here. `kind` lets the CLI pick its exit code and message. */
export class GitSourceError extends Error {
  constructor(
    message: string,
    readonly kind: "not-a-repository" | "unknown-ref" | "no-base" | "usage" | "too-large" | "git-failed",
  ) {
    super(message);
    this.name = "GitSourceError";
  }
}

export interface GitProcessOptions {
  readonly cwd: string;
  /** Environment for git; defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunGitOptions extends GitProcessOptions {
  /** Stdout above this many bytes kills git and fails with `too-large`. */
  readonly maxBytes?: number;
}

export interface GitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** git's complaint kept, at most (it is only ever quoted in one line). */
export const MAX_STDERR_BYTES = 64 * 1024;
/** Stdout above this fails with `too-large` unless the caller says otherwise. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

const PATHSPEC_ENV = ["GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"];

/** Environment that keeps git from prompting, paging or calling an external diff. */
export function gitEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {
    ...env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_PAGER: "cat",
    GIT_OPTIONAL_LOCKS: "0",
    // A partial clone would fetch missing objects from its remote (git ≥ 2.44 honours this).
    GIT_NO_LAZY_FETCH: "1",
  };
  delete clean.GIT_EXTERNAL_DIFF;
  delete clean.GIT_DIFF_OPTS;
  // They change what a pathspec means (paths.ignore becomes pathspecs: ignore-pathspecs.ts).
  for (const name of PATHSPEC_ENV) delete clean[name];
  return clean;
}

/** Runs `git <SAFE_CONFIG> <args>` and resolves with its exit code and output (never rejects on exit code). */
export async function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const out: Buffer[] = [];
  const { code, stderr } = await streamGit(args, { ...options, onStdout: (chunk) => out.push(chunk) });
  return { code, stdout: Buffer.concat(out), stderr };
}

export interface StreamGitOptions extends RunGitOptions {
  /** Receives stdout as it arrives. If it throws, git is killed and `streamGit` rejects with that error. */
  onStdout(chunk: Buffer): void;
}

/**
 * Runs `git <SAFE_CONFIG> <args>` handing stdout to `onStdout` as it arrives, so a large output is
 * processed while git still works and never held whole. Resolves with the exit code (never rejects
 * on exit code).
 */
export function streamGit(args: readonly string[], options: StreamGitOptions): Promise<Omit<GitResult, "stdout">> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...SAFE_CONFIG, "--no-pager", ...args], {
      cwd: options.cwd,
      env: gitEnvironment(options.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let outBytes = 0;
    let err = "";
    let overflow = false;
    let consumerError: unknown;
    let stopped = false;
    const stop = () => {
      stopped = true;
      child.kill();
    };
    child.stdout.on("data", (chunk: Buffer) => {
      // Output still buffered in the pipe after a stop is read and dropped.
      if (stopped) return;
      outBytes += chunk.length;
      if (outBytes > maxBytes) {
        overflow = true;
        stop();
        return;
      }
      try {
        options.onStdout(chunk);
      } catch (error) {
        consumerError = error;
        stop();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (err.length < MAX_STDERR_BYTES) err += chunk.toString("utf8");
    });
    child.on("error", (error) => reject(new GitSourceError(`could not run git: ${error.message}`, "git-failed")));
    child.on("close", (code) => {
      if (consumerError !== undefined) {
        reject(consumerError instanceof Error ? consumerError : new Error(String(consumerError)));
        return;
      }
      if (overflow) {
        reject(
          new GitSourceError(
            `git ${args[0] ?? ""} printed more than ${Math.round(maxBytes / 1024 / 1024)} MiB; scan a smaller range`,
            "too-large",
          ),
        );
        return;
      }
      resolve({ code: code ?? 1, stderr: err });
    });
  });
}

/** First line of git's complaint, without its `fatal: ` prefix. */
export function gitComplaint(stderr: string): string {
  const line = stderr.split("\n").find((l) => l.trim() !== "") ?? "git failed";
  return line.replace(/^(fatal|error): /, "").trim();
}
