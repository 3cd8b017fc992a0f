/**
 * The operator's scan API tokens, in the audit store's database (SQLite or PostgreSQL). A row holds
 * the token's SHA-256, never the token: a copy of the database cannot call the API. A request's
 * token is looked up by its public label and its hash compared in constant time; a token that
 * fails its checksum is refused before any query, so guessing costs the database nothing.
 */
import type { Generated, Kysely, Selectable } from "kysely";
import type { AuditStore } from "../audit/open-store.js";
import { migrateApiTables } from "./migrations.js";
import type { Rate } from "./rate.js";
import { DEFAULT_SCOPES, formatScopes, normalizeScopes, parseStoredScopes, type ApiScope } from "./scopes.js";
import { generateToken, isWellFormedToken, sameHash, tokenHash, tokenLabel } from "./token-format.js";

interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  label: string;
  hash: string;
  rate_limit: number;
  rate_window_seconds: number;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Space-separated scopes (migration 0002; `scan` for tokens issued before it). */
  scopes: string;
}

interface ApiDatabase {
  api_tokens: ApiTokensTable;
}

export interface ApiToken {
  readonly id: number;
  readonly name: string;
  /** `prs_` and the first 8 characters of the body: safe to show and log. */
  readonly label: string;
  readonly rate: Rate;
  /** What the token may call (scopes.ts). */
  readonly scopes: readonly ApiScope[];
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export type Authentication =
  | { readonly ok: true; readonly token: ApiToken }
  | { readonly ok: false; readonly reason: "malformed" | "unknown" | "expired" }
  | { readonly ok: false; readonly reason: "revoked"; readonly token: ApiToken };

export interface NewToken {
  readonly name: string;
  readonly rate: Rate;
  /** Default `scan` only. */
  readonly scopes?: readonly ApiScope[];
  readonly expiresAt?: Date;
}

export interface ApiTokenStore {
  /** Stores a new token and returns it: the only time its value exists outside the caller. */
  create(input: NewToken): Promise<{ readonly value: string; readonly token: ApiToken }>;
  list(): Promise<ApiToken[]>;
  /** By id (`12`) or label (`prs_AbCdEfGh`); throws `TokenLookupError` for none or several. */
  revoke(idOrLabel: string): Promise<ApiToken>;
  authenticate(value: string): Promise<Authentication>;
}

export class TokenLookupError extends Error {}

const MAX_NAME_CHARS = 100;
/** `last_used_at` is written at most this often per token and process: not one write per request. */
const TOUCH_INTERVAL_MS = 60_000;

type StoreHandle = Pick<AuditStore, "db" | "dialect" | "now">;

export async function openApiTokenStore(store: StoreHandle): Promise<ApiTokenStore> {
  // The audit store's connection, typed for this module's own tables only.
  await migrateApiTables(store.db as unknown as Kysely<unknown>, store.dialect);
  const db = store.db as unknown as Kysely<ApiDatabase>;
  const touched = new Map<number, number>();

  const byIdOrLabel = async (text: string) => {
    const query = db.selectFrom("api_tokens").selectAll();
    const rows = /^[0-9]{1,15}$/.test(text) ? await query.where("id", "=", Number(text)).execute() : await query.where("label", "=", text).execute();
    if (rows.length === 0) throw new TokenLookupError(`no token has the id or label ${JSON.stringify(text.slice(0, 40))} (see pr-sentinel tokens list)`);
    if (rows.length > 1) throw new TokenLookupError(`${rows.length} tokens have the label ${JSON.stringify(text)}: revoke by id (see pr-sentinel tokens list)`);
    return rows[0]!;
  };

  return {
    async create({ name, rate, expiresAt, scopes = DEFAULT_SCOPES }) {
      const trimmed = name.trim();
      if (trimmed === "" || trimmed.length > MAX_NAME_CHARS || /[\u0000-\u001f\u007f]/.test(trimmed)) {
        throw new TokenLookupError(`a token name is 1 to ${MAX_NAME_CHARS} printable characters`);
      }
      if (normalizeScopes(scopes).length === 0) throw new TokenLookupError("a token needs at least one scope");
      const active = await db.selectFrom("api_tokens").select("id").where("name", "=", trimmed).where("revoked_at", "is", null).executeTakeFirst();
      if (active) throw new TokenLookupError(`an active token is already named ${JSON.stringify(trimmed)} (id ${active.id}): revoke it first or pick another name`);
      const value = generateToken();
      const row = await db
        .insertInto("api_tokens")
        .values({
          name: trimmed,
          label: tokenLabel(value),
          hash: tokenHash(value),
          rate_limit: rate.limit,
          rate_window_seconds: rate.windowSeconds,
          created_at: store.now().toISOString(),
          expires_at: expiresAt ? expiresAt.toISOString() : null,
          last_used_at: null,
          revoked_at: null,
          scopes: formatScopes(scopes),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { value, token: fromRow(row) };
    },

    async list() {
      return (await db.selectFrom("api_tokens").selectAll().orderBy("id").execute()).map(fromRow);
    },

    async revoke(idOrLabel) {
      const row = await byIdOrLabel(idOrLabel.trim());
      if (row.revoked_at !== null) return fromRow(row);
      const revokedAt = store.now().toISOString();
      await db.updateTable("api_tokens").set({ revoked_at: revokedAt }).where("id", "=", row.id).execute();
      return fromRow({ ...row, revoked_at: revokedAt });
    },

    async authenticate(value) {
      if (!isWellFormedToken(value)) return { ok: false, reason: "malformed" };
      const hash = tokenHash(value);
      const rows = await db.selectFrom("api_tokens").selectAll().where("label", "=", tokenLabel(value)).execute();
      const row = rows.find((r) => sameHash(r.hash, hash));
      if (!row) return { ok: false, reason: "unknown" };
      const token = fromRow(row);
      if (row.revoked_at !== null) return { ok: false, reason: "revoked", token };
      const now = store.now();
      if (row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime()) return { ok: false, reason: "expired" };
      const last = touched.get(row.id) ?? 0;
      if (now.getTime() - last >= TOUCH_INTERVAL_MS) {
        touched.set(row.id, now.getTime());
        await db.updateTable("api_tokens").set({ last_used_at: now.toISOString() }).where("id", "=", row.id).execute();
      }
      return { ok: true, token };
    },
  };
}

function fromRow(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    label: row.label,
    rate: { limit: row.rate_limit, windowSeconds: row.rate_window_seconds },
    scopes: parseStoredScopes(row.scopes),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
