/**
 * The `cursor` of `GET /api/v1/audit`: the key (created_at, id) of the last record of the page
 * before, as base64url of `[created_at, id]`. Opaque to clients (they follow the `Link` header), but
 * not a secret: it names a position in time order, nothing a token with the `audit` scope could not
 * read anyway. Decoding is strict (length, alphabet, shape, the stored time format), since it is
 * hostile input that ends up in a query.
 */
import type { AuditExportKey } from "../audit/export.js";

const MAX_CURSOR_CHARS = 120;
const STORED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(key: AuditExportKey): string {
  return Buffer.from(JSON.stringify([key.created_at, key.id]), "utf8").toString("base64url");
}

/** The key, or `undefined` for anything that is not a cursor this server wrote. */
export function decodeCursor(text: string): AuditExportKey | undefined {
  if (text.length === 0 || text.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value as unknown[];
  if (typeof at !== "string" || !STORED_TIME.test(at) || Number.isNaN(Date.parse(at))) return undefined;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) return undefined;
  return { created_at: at, id };
}
