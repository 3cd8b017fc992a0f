/**
 * The door every API endpoint goes through, in one order: a bearer token (401 missing, malformed,
 * unknown or expired), not revoked (403), holding the endpoint's scope (403 naming it, RFC 6750's
 * `insufficient_scope`), then its rate (429 + Retry-After). The scope is checked before the rate
 * so a token calling an endpoint it may not use does not spend its budget for the ones it may.
 * One guard (one set of token buckets) serves every endpoint of a server: a token's rate is per
 * token, whichever endpoints it calls.
 */
import type { IncomingMessage } from "node:http";
import type { Problem } from "./problem.js";
import type { ApiScope } from "./scopes.js";
import { TokenBuckets } from "./token-buckets.js";
import type { ApiToken, ApiTokenStore } from "./token-store.js";

export type GuardResult =
  | { readonly ok: true; readonly token: ApiToken }
  /** `label` and `tokenId` when the token was recognised, for the request log. */
  | { readonly ok: false; readonly problem: Problem; readonly label?: string; readonly tokenId?: number };

/** Puts the token's label and id (never the token) on a request's log line, admitted or not. */
export function logToken(log: { token?: string; tokenId?: number }, result: GuardResult): void {
  const label = result.ok ? result.token.label : result.label;
  const id = result.ok ? result.token.id : result.tokenId;
  if (label !== undefined) log.token = label;
  if (id !== undefined) log.tokenId = id;
}

export interface ApiGuard {
  admit(req: IncomingMessage, scope: ApiScope): Promise<GuardResult>;
}

export interface ApiGuardOptions {
  readonly tokens: ApiTokenStore;
  /** Milliseconds clock for rate limits (tests move it). */
  readonly now?: () => number;
}

const REALM = 'Bearer realm="pr-sentinel"';

export function createApiGuard(options: ApiGuardOptions): ApiGuard {
  const buckets = new TokenBuckets(options.now);
  const refuse = (problem: Problem, token?: ApiToken): GuardResult => ({ ok: false, problem, ...(token ? { label: token.label, tokenId: token.id } : {}) });
  return {
    async admit(req, scope) {
      const bearer = bearerToken(req.headers.authorization);
      if (bearer === undefined) return refuse({ kind: "unauthenticated", detail: "send the token as `Authorization: Bearer prs_...`", headers: { "www-authenticate": REALM } });
      const auth = await options.tokens.authenticate(bearer);
      if (!auth.ok && auth.reason === "revoked") return refuse({ kind: "token-revoked", detail: `token ${auth.token.label} was revoked at ${auth.token.revokedAt}` }, auth.token);
      if (!auth.ok) {
        const why = auth.reason === "expired" ? "the token has expired" : "the token is not one this server issued";
        return refuse({ kind: "unauthenticated", detail: why, headers: { "www-authenticate": `${REALM}, error="invalid_token"` } });
      }
      const { token } = auth;
      if (!token.scopes.includes(scope)) {
        const has = token.scopes.map((s) => `"${s}"`).join(", ") || "none";
        return refuse(
          {
            kind: "insufficient-scope",
            detail: `token ${token.label} does not have the scope "${scope}" (it has ${has}); issue one with pr-sentinel tokens create --scope ${scope}`,
            headers: { "www-authenticate": `${REALM}, error="insufficient_scope", scope="${scope}"` },
          },
          token,
        );
      }
      const admitted = buckets.take(token.id, token.rate);
      if (!admitted.ok) {
        return refuse({ kind: "rate-limited", detail: `token ${token.label} allows ${token.rate.limit} requests per ${token.rate.windowSeconds}s`, headers: { "retry-after": String(admitted.retryAfterSeconds) } }, token);
      }
      return { ok: true, token };
    },
  };
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive, RFC 7235), else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([^\s]{1,200})\s*$/i.exec(header ?? "");
  return match?.[1];
}
