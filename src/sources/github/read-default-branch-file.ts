/**
 * One file of the repository's default branch, where the app reads its config (`context.config`
 * reads there too, never the pull request): `GET /repos/{o}/{r}/contents/{path}` without a ref, in
 * the raw media type, the body streamed and refused past `maxBytes` rather than held whole. Used for
 * the baseline file the config names, so a branch cannot baseline its own new findings.
 */
import { readBounded } from "../../services/read-bounded.js";
import { ContentError } from "../../core/types.js";
import type { GitHubClient, RepoRef } from "./octokit.js";

/** The text, or `null` when the default branch has no such file. Throws GitHub's error otherwise. */
export async function readDefaultBranchFile(
  octokit: Pick<GitHubClient, "request">,
  repo: RepoRef,
  path: string,
  options: { readonly maxBytes: number; readonly signal?: AbortSignal },
): Promise<string | null> {
  let data: unknown;
  try {
    ({ data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: repo.owner,
      repo: repo.repo,
      path,
      mediaType: { format: "raw" },
      request: { signal: options.signal, parseSuccessResponseBody: false },
    }));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
  if (typeof data === "string") return checked(path, Buffer.from(data), options.maxBytes);
  if (data === null || typeof data !== "object" || typeof (data as ReadableStream).getReader !== "function") {
    throw new ContentError(`${path}: GitHub did not return file contents (a directory or submodule?)`, "unavailable");
  }
  const body = await readBounded(data as ReadableStream<Uint8Array>, options.maxBytes);
  return checked(path, body, options.maxBytes);
}

function checked(path: string, body: Buffer | undefined, maxBytes: number): string {
  if (body === undefined || body.byteLength > maxBytes) {
    throw new ContentError(`${path}: larger than ${Math.round(maxBytes / 1024 / 1024)} MB on the default branch, not read`, "too-large");
  }
  return body.toString("utf8");
}
