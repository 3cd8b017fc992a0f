/**
 * Reads whole files from GitHub, only when a check asks. Head files come from the blobs API by the
 * blob SHA GitHub lists for each changed file (no ref to resolve, works for forks because the base
 * repository can read a pull request's head commit); base files and head files without a blob SHA
 * come from the contents API at a commit SHA. Both use the raw media type, which works up to 100 MB;
 * the body is streamed and anything over `maxBytes` (the CLI's cap, `MAX_WHOLE_FILE_BYTES`) is
 * refused rather than held in memory. Concurrency is bounded because one
 * large pull request must not open hundreds of requests at once.
 */
import { readBounded } from "../../services/read-bounded.js";
import { ContentError } from "../../core/types.js";
import { limitConcurrency } from "../../core/limit-concurrency.js";
import { MAX_WHOLE_FILE_BYTES, tooLargeMessage } from "../limits.js";
import type { GitHubClient, RepoRef } from "./octokit.js";

export const DEFAULT_READ_CONCURRENCY = 8;

export interface ContentReaderOptions extends RepoRef {
  readonly octokit: GitHubClient;
  readonly maxBytes?: number;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

export interface ContentReader {
  /** A blob by SHA; `null` only when GitHub says it does not exist. */
  blob(sha: string, pathForMessages: string): Promise<string | null>;
  /** A file at a commit; `null` when it does not exist there. */
  fileAt(path: string, commitSha: string): Promise<string | null>;
}

export function createContentReader(options: ContentReaderOptions): ContentReader {
  const { octokit, owner, repo, signal } = options;
  const maxBytes = options.maxBytes ?? MAX_WHOLE_FILE_BYTES;
  const limited = limitConcurrency(options.concurrency ?? DEFAULT_READ_CONCURRENCY);

  const read = (path: string, request: () => Promise<{ data: unknown }>) =>
    limited(async () => {
      if (signal?.aborted) throw new ContentError(`${path}: the scan was cancelled`, "unavailable");
      let data: unknown;
      try {
        ({ data } = await request());
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 404) return null;
        if (status === 403 || status === 422) {
          throw new ContentError(`${path}: GitHub refused to return the file (HTTP ${status}); it may be too large`, "too-large");
        }
        throw new ContentError(`${path}: could not read the file from GitHub (${describe(error)})`, "unavailable");
      }
      const text = await bodyText(data, maxBytes);
      if (text === null) throw new ContentError(`${path}: GitHub did not return file contents (a directory or submodule?)`, "unavailable");
      if (text === TOO_LARGE || Buffer.byteLength(text) > maxBytes) {
        throw new ContentError(tooLargeMessage(path, maxBytes), "too-large");
      }
      if (text.includes("\u0000")) throw new ContentError(`${path}: binary file`, "binary");
      return text;
    });

  return {
    blob: (sha, pathForMessages) =>
      read(pathForMessages, () =>
        octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
          owner,
          repo,
          file_sha: sha,
          mediaType: { format: "raw" },
          // The body as a stream: read up to the cap, never a 100 MB file into memory first.
          request: { signal, parseSuccessResponseBody: false },
        }),
      ),
    fileAt: (path, commitSha) =>
      read(path, () =>
        octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
          owner,
          repo,
          path,
          ref: commitSha,
          mediaType: { format: "raw" },
          // The body as a stream: read up to the cap, never a 100 MB file into memory first.
          request: { signal, parseSuccessResponseBody: false },
        }),
      ),
  };
}

function describe(error: unknown): string {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return status ? `HTTP ${status}: ${message}` : (message ?? "unknown error");
}

export const TOO_LARGE = Symbol("too large");

/**
 * The response body as text. Real responses come as a stream (`parseSuccessResponseBody: false`),
 * read only up to `maxBytes` and then cancelled; strings and buffers (from tests or a proxy that
 * parsed them) are taken as they are.
 */
export async function bodyText(data: unknown, maxBytes: number): Promise<string | typeof TOO_LARGE | null> {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  if (data === null || typeof data !== "object" || typeof (data as ReadableStream).getReader !== "function") return null;
  const body = await readBounded(data as ReadableStream<Uint8Array>, maxBytes);
  return body === undefined ? TOO_LARGE : body.toString("utf8");
}
