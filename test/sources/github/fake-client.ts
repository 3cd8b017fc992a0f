/**
 * A stand-in for the slice of Octokit the GitHub source uses (`request`, `paginate.iterator`),
 * answering from a map of files; records calls. For unit tests; the end-to-end tests use real HTTP.
 */
import type { GitHubClient } from "../../../src/sources/github/octokit.js";

export interface FakeClientOptions {
  /** `blob:<sha>` or `<path>@<ref>` → content; a number is an HTTP error status. */
  readonly files?: Record<string, string | number>;
  readonly pages?: unknown[][];
  readonly delayMs?: number;
}

export function fakeClient(options: FakeClientOptions) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const request = async (route: string, params: Record<string, unknown>) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const key = route.includes("/git/blobs/") ? `blob:${String(params.file_sha)}` : `${String(params.path)}@${String(params.ref)}`;
      calls.push(key);
      const value = options.files?.[key];
      if (value === undefined) throw Object.assign(new Error("Not Found"), { status: 404 });
      if (typeof value === "number") throw Object.assign(new Error(`HTTP ${value}`), { status: value });
      return { data: value, status: 200, headers: {} };
    } finally {
      inFlight--;
    }
  };
  const client = {
    request,
    paginate: {
      iterator: (_route: string, _params: unknown) =>
        (async function* () {
          for (const data of options.pages ?? []) yield { data, status: 200, headers: {} };
        })(),
    },
  } as unknown as GitHubClient;
  return { client, calls, maxInFlight: () => maxInFlight };
}
