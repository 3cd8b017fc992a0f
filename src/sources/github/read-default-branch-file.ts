/**
 * One file of the repository's default branch, where the app reads its config (`context.config`
 * reads there too, never the pull request): `GET /repos/{o}/{r}/contents/{path}` without a ref, in
 * the raw media type, the body streamed and refused past `maxBytes` rather than held whole. Used for
 * the baseline file the config names, so a branch cannot baseline its own new findings.
 */
import { ContentError } from "../../core/types.js";
import { bodyText, TOO_LARGE } from "./content-reader.js";
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
  const text = await bodyText(data, options.maxBytes);
  if (text === null) throw new ContentError(`${path}: GitHub did not return file contents (a directory or submodule?)`, "unavailable");
  if (text === TOO_LARGE || Buffer.byteLength(text) > options.maxBytes) {
    throw new ContentError(`${path}: larger than ${Math.round(options.maxBytes / 1024 / 1024)} MB on the default branch, not read`, "too-large");
  }
  return text;
}
