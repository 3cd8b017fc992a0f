/**
 * Config reads for one installation, cached so a burst of scans on one repository does not read
 * `.github/pr-sentinel.yml` (and the organisation's fallback) afresh each time:
 *   - a file that exists is revalidated with its ETag (`If-None-Match`): GitHub answers 304 while
 *     the default branch's file is unchanged, and a 304 does not count against the rate limit, so
 *     a changed config always applies to the next scan;
 *   - a file that does not exist is remembered as absent for `absentTtlMs` (30 s): a config added
 *     to a repository applies to scans that start after that.
 * Only GETs of `/repos/{owner}/{repo}/contents/.github/…` are touched.
 */
import type { GitHubClient } from "../../sources/github/octokit.js";

interface Cached {
  readonly etag?: string;
  readonly response?: unknown;
  readonly absentUntil?: number;
}

export function cacheConfigReads(octokit: GitHubClient, options: { absentTtlMs?: number; maxEntries?: number; now?: () => number } = {}): void {
  const cache = new Map<string, Cached>();
  const absentTtl = options.absentTtlMs ?? 30_000;
  const max = options.maxEntries ?? 1_000;
  const now = options.now ?? Date.now;
  octokit.hook.wrap("request", async (request, requestOptions) => {
    const url = String(requestOptions.url);
    if (requestOptions.method !== "GET" || url !== "/repos/{owner}/{repo}/contents/{path}" || !String(requestOptions.path ?? "").startsWith(".github/")) {
      return request(requestOptions);
    }
    const key = `${String(requestOptions.owner)}/${String(requestOptions.repo)}/${String(requestOptions.path)}?${String(requestOptions.ref ?? "")}|${JSON.stringify(requestOptions.mediaType ?? {})}`;
    const known = cache.get(key);
    if (known?.absentUntil !== undefined && known.absentUntil > now()) throw notFound();
    // In place: Octokit's hook chain hands inner hooks the options object it was given, not ours.
    if (known?.etag) (requestOptions.headers as Record<string, string>)["if-none-match"] = known.etag;
    try {
      const response = await request(requestOptions);
      const etag = (response.headers as Record<string, string | undefined>).etag;
      remember(key, etag ? { etag, response } : undefined);
      return response;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 304 && known?.response) return known.response as Awaited<ReturnType<typeof request>>;
      if (status === 404) remember(key, { absentUntil: now() + absentTtl });
      throw error;
    }
  });

  function remember(key: string, value: Cached | undefined): void {
    cache.delete(key);
    if (!value) return;
    cache.set(key, value);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
  }
}

function notFound(): Error {
  return Object.assign(new Error("Not Found (cached: the file was absent moments ago)"), { status: 404, name: "HttpError" });
}
