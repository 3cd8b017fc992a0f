/**
 * Full OSV records kept between lookups, so a busy app does not fetch `GET /v1/vulns/{id}` for the
 * same advisory on every pull request. An entry answers only for the `modified` time querybatch
 * just reported: a record OSV changed since (a new range, a withdrawal) is fetched again. The TTL
 * bounds how long we trust an entry even when `modified` did not move (querybatch can lag behind
 * the record itself), and the size bound keeps a long-running process from growing without end.
 * Least recently used entries go first (a `Map` keeps insertion order; a hit re-inserts).
 */
import type { OsvRecord } from "./osv-record.js";

export interface OsvRecordCache {
  /** The record cached for `id` at exactly `modified`, unless it expired. */
  get(id: string, modified: string | undefined): OsvRecord | undefined;
  set(id: string, modified: string | undefined, record: OsvRecord): void;
}

export interface OsvRecordCacheOptions {
  /** Default 5,000 records. */
  readonly maxEntries?: number;
  /** Default one hour. */
  readonly ttlMs?: number;
  /** Milliseconds, injected by tests. Default `Date.now`. */
  readonly now?: () => number;
}

interface Entry {
  readonly modified: string | undefined;
  readonly record: OsvRecord;
  readonly expiresAt: number;
}

export const DEFAULT_CACHE_ENTRIES = 5_000;
export const DEFAULT_CACHE_TTL_MS = 60 * 60 * 1000;

export function createOsvRecordCache(options: OsvRecordCacheOptions = {}): OsvRecordCache {
  const maxEntries = options.maxEntries ?? DEFAULT_CACHE_ENTRIES;
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`cache size must be a positive integer, got ${maxEntries}`);
  // One entry per id: a newer `modified` replaces the old record instead of sitting beside it.
  const entries = new Map<string, Entry>();
  return {
    get(id, modified) {
      const entry = entries.get(id);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(id);
        return undefined;
      }
      if (entry.modified !== modified) return undefined;
      entries.delete(id);
      entries.set(id, entry);
      return entry.record;
    },
    set(id, modified, record) {
      entries.delete(id);
      entries.set(id, { modified, record, expiresAt: now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
