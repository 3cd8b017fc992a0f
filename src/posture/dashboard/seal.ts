/**
 * Encrypted, authenticated cookie values: AES-256-GCM under a key derived (HKDF-SHA256) from
 * DASHBOARD_COOKIE_KEY, a fresh 96-bit IV per value, the cookie's purpose as additional data (a
 * sealed OAuth state cannot be replayed as a session), and the expiry inside the sealed payload
 * (a cookie's own Expires is only a hint to the browser). The CSRF token is an HMAC of the
 * session id under a second derived key: a synchronizer token with nothing stored.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

export const COOKIE_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealer {
  seal(purpose: string, payload: object, expiresAt: number): string;
  /** The payload, or undefined for anything forged, altered, of another purpose or expired. */
  open(purpose: string, sealed: string, now: number): Record<string, unknown> | undefined;
  csrfToken(sessionId: string): string;
  checkCsrf(sessionId: string, token: string): boolean;
}

export class CookieKeyError extends Error {}

/** The key as DASHBOARD_COOKIE_KEY holds it (32 bytes, base64), or the bytes themselves. */
export function parseCookieKey(key: string | Uint8Array): Buffer {
  const bytes = typeof key === "string" ? Buffer.from(key.trim(), "base64") : Buffer.from(key);
  if (bytes.length !== COOKIE_KEY_BYTES) {
    throw new CookieKeyError(`DASHBOARD_COOKIE_KEY: expected ${COOKIE_KEY_BYTES} random bytes in base64 (e.g. \`openssl rand -base64 32\`), got ${bytes.length} bytes`);
  }
  return bytes;
}

const derive = (key: Buffer, info: string) => Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), `pr-sentinel dashboard ${info}`, 32));

export function createSealer(cookieKey: string | Uint8Array): Sealer {
  const master = parseCookieKey(cookieKey);
  const encryption = derive(master, "cookies");
  const csrf = derive(master, "csrf");
  const mac = (sessionId: string) => createHmac("sha256", csrf).update(sessionId).digest("base64url");
  return {
    seal(purpose, payload, expiresAt) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", encryption, iv);
      cipher.setAAD(Buffer.from(purpose));
      const body = cipher.update(JSON.stringify({ ...payload, exp: expiresAt }), "utf8");
      return Buffer.concat([iv, body, cipher.final(), cipher.getAuthTag()]).toString("base64url");
    },
    open(purpose, sealed, now) {
      if (sealed.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(sealed)) return undefined;
      const bytes = Buffer.from(sealed, "base64url");
      if (bytes.length < IV_BYTES + TAG_BYTES + 2) return undefined;
      try {
        const decipher = createDecipheriv("aes-256-gcm", encryption, bytes.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString("utf8");
        const payload = JSON.parse(text) as unknown;
        if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined;
        const exp = (payload as Record<string, unknown>).exp;
        if (typeof exp !== "number" || exp <= now) return undefined;
        return payload as Record<string, unknown>;
      } catch {
        return undefined;
      }
    },
    csrfToken: mac,
    checkCsrf(sessionId, token) {
      const expected = Buffer.from(mac(sessionId));
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
