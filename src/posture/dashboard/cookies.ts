/** Reading the Cookie header and writing Set-Cookie values, for the dashboard's two cookies only. */
import type { IncomingMessage } from "node:http";

export const SESSION_COOKIE = "prs_session";
export const STATE_COOKIE = "prs_oauth";

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header || header.length > 16_384) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  /** Secure everywhere but plain http on loopback (a local run, the tests). */
  readonly secure: boolean;
  readonly maxAgeSeconds: number;
}

export function setCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, "Path=/dashboard", "HttpOnly", "SameSite=Lax", `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearCookie(name: string, secure: boolean): string {
  return setCookie(name, "", { secure, maxAgeSeconds: 0 });
}
