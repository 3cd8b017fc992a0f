/** Strict base64 / base64url decoding for structural validators: undefined instead of garbage. */

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
/** Structural checks only need the start of a value; this also bounds the work on hostile input. */
const MAX_CHARS = 64 * 1024;

export function decodeBase64(text: string): Buffer | undefined {
  if (text.length > MAX_CHARS) return undefined;
  const url = !BASE64.test(text);
  if (url && !BASE64URL.test(text)) return undefined;
  const unpadded = text.replace(/=+$/, "");
  if (unpadded.length % 4 === 1) return undefined;
  return Buffer.from(unpadded, url ? "base64url" : "base64");
}

/** The value decoded from base64(url) and parsed as a JSON object, or undefined. */
export function decodeBase64Json(text: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64(text);
  if (!bytes || bytes.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(bytes.toString("utf8"));
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
