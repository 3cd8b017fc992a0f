/**
 * What an API token may do. `scan` calls `POST /api/v1/scan`; `audit` reads the audit trail through
 * `GET /api/v1/audit`. Reading the trail exposes every repository's findings (paths, rules, lines),
 * which a CI token that only asks for scans should never see, so the two are separate and a token
 * gets only what it was issued with. Stored as one space-separated text column (OAuth's `scope`
 * form); a scope this version does not know (written by a newer one) grants nothing here.
 */
export const API_SCOPES = ["scan", "audit"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const DEFAULT_SCOPES: readonly ApiScope[] = ["scan"];

export function isApiScope(text: string): text is ApiScope {
  return (API_SCOPES as readonly string[]).includes(text);
}

/** Deduplicated, in API_SCOPES order, so equal sets are stored and shown alike. */
export function normalizeScopes(scopes: Iterable<ApiScope>): ApiScope[] {
  const set = new Set(scopes);
  return API_SCOPES.filter((s) => set.has(s));
}

export function formatScopes(scopes: readonly ApiScope[]): string {
  return normalizeScopes(scopes).join(" ");
}

export function parseStoredScopes(text: string): ApiScope[] {
  return normalizeScopes(text.split(/\s+/).filter(isApiScope));
}
