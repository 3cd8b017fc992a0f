/**
 * The key name a generic rule's value is assigned to, read back from the line, and what the rest
 * of the name says. Generic rules match a credential word anywhere in a name (`secret`, `token`),
 * but the other words can say the value is something else:
 *   - a digest (`token_sha256`, `passwordHash`, `secret_checksum`, `api_key_id`): hash-shaped hex
 *     under such a name is data, while the same hex under `api_key`, `oauth_token` or Rails'
 *     `secret_key_base` is the credential itself (many services issue 32, 40 or 64 hex);
 *   - a pagination or continuation token (`NextContinuationToken`, `nextPageToken`, `syncToken`):
 *     opaque and random-looking in every API example, but a position in a listing;
 *   - a CSRF token (`csrf_token`, `authenticity_token`): anti-forgery data bound to a session.
 * The name is the last identifier before the value that is not a string type, so typed
 * declarations (`const apiKey: string = "…"`, `key: &'static str = "…"`) name `apiKey` and `key`.
 */

/** Identifiers that follow a name in a typed declaration (keyed.ts's `STRING_TYPE`). */
const TYPE_WORDS = new Set(["string", "String", "str", "Str", "static", "SecretStr", "Final"]);
const IDENTIFIER = /[A-Za-z_$][\w$.-]*/g;
/** How far back from the value the name is looked for. */
const LOOK_BACK = 200;

/** The name `value` is assigned to in `line`, or undefined when nothing precedes it. */
export function assignedKey(line: string, value: string): string | undefined {
  const at = line.indexOf(value);
  if (at <= 0) return undefined;
  const names = line.slice(Math.max(0, at - LOOK_BACK), at).match(IDENTIFIER) ?? [];
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i]!.replace(/^\$+/, "").replace(/[.-]+$/, "");
    if (name !== "" && !TYPE_WORDS.has(name)) return name;
  }
  return undefined;
}

/** `NextContinuationToken`, `next_page-token`, `APIKey`, `passwordSHA256` as lower-case words. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Words of a name for a digest or a checksum, wherever they stand in the name. */
const DIGEST_WORD = /^(?:md[245]|sha(?:\d{1,3})?|sha3|blake2[bs]?|blake3|hash|hashed|digest|checksum|shasum|crc(?:32)?|integrity|etag|commit|revision|rev|oid|fingerprint|thumbprint|signature|sig)$/;
/**
 * Words that say "not the credential" only as the name's last word: `hmac` and `salt` are data
 * (`token_hmac`), but `hmac_secret` is a key; `api_key_id` names the key, not its secret part.
 */
const DIGEST_LAST_WORD = new Set(["hmac", "salt", "nonce", "id", "uuid", "guid", "identifier", "name", "hint", "prefix", "suffix", "version"]);
const LISTING_WORD = new Set(["next", "prev", "previous", "page", "paging", "pagination", "continuation", "cursor", "sync", "term", "resume", "skip", "delta", "starting", "marker", "offset", "idempotency"]);
const FORGERY_WORD = new Set(["csrf", "xsrf", "authenticity", "forgery", "csrfmiddlewaretoken"]);

/** The name says its (hash-shaped) value is a digest, a checksum or an identifier, not a credential. */
export function namesDigest(key: string): boolean {
  const words = keyWords(key);
  return words.some((word) => DIGEST_WORD.test(word)) || DIGEST_LAST_WORD.has(words.at(-1) ?? "");
}

/** The name is a pagination, continuation or CSRF token: random-looking, but no credential. */
export function namesNonCredentialToken(key: string): boolean {
  const words = keyWords(key);
  const last = words.at(-1) ?? "";
  if (words.some((word) => FORGERY_WORD.has(word))) return last === "token" || last === "csrfmiddlewaretoken";
  return (last === "token" || last === "cursor" || last === "marker") && words.some((word) => LISTING_WORD.has(word));
}
