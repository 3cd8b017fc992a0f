/**
 * The bytes a record's hash is taken over. Canonical JSON is RFC 8785 (JCS) for the values records
 * hold: objects with keys sorted by UTF-16 code units, no whitespace, strings as `JSON.stringify`
 * writes them, numbers as ECMAScript prints them (which is what JCS specifies; NaN and infinities are
 * refused). Anyone can recompute a hash from an export with any JCS library; nothing here is ours.
 */
import { createHash } from "node:crypto";

/** `prev_hash` of a chain's first record. */
export const GENESIS_HASH = "0".repeat(64);

export type CanonicalValue = string | number | boolean | null | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue | undefined };

export class CanonicalJsonError extends Error {}

export function canonicalJson(value: CanonicalValue): string {
  // Fast path: a copy with keys inserted in sorted order, written by one JSON.stringify (whose
  // strings and numbers are JCS's). It does not hold for integer-like keys, which JavaScript
  // objects always list first in numeric order; a value with one is written member by member.
  const state = { integerKey: false };
  const sorted = sortedCopy(value, state);
  return state.integerKey ? writeMembers(value) : JSON.stringify(sorted);
}

const INTEGER_KEY = /^(?:0|[1-9][0-9]{0,9})$/;

function sortedCopy(value: CanonicalValue | undefined, state: { integerKey: boolean }): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new CanonicalJsonError(`canonical JSON has no ${value}`);
    return value;
  }
  if (Array.isArray(value)) return (value as readonly CanonicalValue[]).map((v) => (v === undefined ? null : sortedCopy(v, state)));
  const object = value as { readonly [key: string]: CanonicalValue | undefined };
  // No prototype: a `__proto__` key (JSON.parse makes them) stays a member instead of a prototype.
  const out = Object.create(null) as Record<string, unknown>;
  // Plain sort compares UTF-16 code units, which is what JCS asks for.
  for (const key of Object.keys(object).sort()) {
    if (INTEGER_KEY.test(key)) state.integerKey = true;
    const member = object[key];
    if (member !== undefined) out[key] = sortedCopy(member, state);
  }
  return out;
}

function writeMembers(value: CanonicalValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly CanonicalValue[]).map(writeMembers).join(",")}]`;
  const object = value as { readonly [key: string]: CanonicalValue | undefined };
  const parts: string[] = [];
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member !== undefined) parts.push(`${JSON.stringify(key)}:${writeMembers(member)}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * `hash` of a record: SHA-256 (hex) of the canonical JSON of `{ "content": <content>, "prev_hash": … }`.
 * `contentJson` must already be canonical; the object is spelled out by hand so the stored text is
 * hashed as it is, without parsing it again.
 */
export function chainHash(contentJson: string, prevHash: string): string {
  return createHash("sha256").update(`{"content":${contentJson},"prev_hash":${JSON.stringify(prevHash)}}`).digest("hex");
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
