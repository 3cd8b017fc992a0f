/**
 * Resolves `owner/repo@ref` of a GitHub Action to the commit SHA it points at, and the most
 * specific version tag on that commit, through the installation's GitHub client: `GET
 * /repos/{owner}/{repo}/commits/{ref}` and the first page of `GET /repos/{owner}/{repo}/tags`.
 * At most `maxActions` distinct actions per resolver (one per scan), each asked once; failures are
 * `null` (the finding then carries no suggestion, never a guess).
 */
import { limitConcurrency } from "../../core/limit-concurrency.js";
import type { ActionRefResolver, ResolvedActionRef } from "../../checks/policy/services.js";
import type { GitHubClient } from "./octokit.js";

const SHA = /^[0-9a-f]{40}$/;
/** `v4`, `v4.2`, `v4.2.2`, `4.2.2`: tags that name versions. */
const VERSION_TAG = /^v?\d+(\.\d+){0,3}$/;

export function createActionRefResolver(octokit: Pick<GitHubClient, "request">, options: { maxActions?: number } = {}): ActionRefResolver {
  const cache = new Map<string, Promise<ResolvedActionRef | null>>();
  const limited = limitConcurrency(4);
  const maxActions = options.maxActions ?? 20;
  return {
    resolve(owner, repo, ref, signal) {
      const key = `${owner}/${repo}@${ref}`.toLowerCase();
      let pending = cache.get(key);
      if (!pending) {
        pending = cache.size >= maxActions ? Promise.resolve(null) : limited(() => resolveOnce(octokit, owner, repo, ref, signal));
        cache.set(key, pending);
      }
      return pending;
    },
  };
}

async function resolveOnce(octokit: Pick<GitHubClient, "request">, owner: string, repo: string, ref: string, signal: AbortSignal): Promise<ResolvedActionRef | null> {
  try {
    const { data: commit } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}", { owner, repo, ref, request: { signal } });
    const sha = (commit as { sha?: unknown }).sha;
    if (typeof sha !== "string" || !SHA.test(sha)) return null;
    let version: string | undefined;
    try {
      const { data: tags } = await octokit.request("GET /repos/{owner}/{repo}/tags", { owner, repo, per_page: 100, request: { signal } });
      const onCommit = (tags as { name?: unknown; commit?: { sha?: unknown } }[])
        .filter((t) => t.commit?.sha === sha && typeof t.name === "string" && VERSION_TAG.test(t.name))
        .map((t) => t.name as string);
      // The most specific: `v4.2.2` over `v4.2` over `v4`.
      version = onCommit.sort((a, b) => b.split(".").length - a.split(".").length || b.localeCompare(a))[0];
    } catch {
      // Without tags the pin still works; it only lacks the version comment.
    }
    return { sha, ...(version ?? (VERSION_TAG.test(ref) ? ref : undefined) ? { version: version ?? ref } : {}) };
  } catch {
    return null;
  }
}
