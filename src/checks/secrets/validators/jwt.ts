/**
 * A JSON Web Token is three base64url parts; the first must decode to a JSON object naming its
 * algorithm (`alg`, RFC 7515 section 4.1.1), and the second to a JSON object of claims. Random
 * text that merely starts with `eyJ` fails this.
 */
import { decodeBase64Json } from "./base64.js";

const MAX_PART = 16 * 1024;

export function isDecodableJwt(token: string): boolean {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const [header, payload] = parts as [string, string, string];
  if (header.length > MAX_PART || payload.length > MAX_PART) return false;
  const decodedHeader = decodeBase64Json(header);
  if (!decodedHeader || typeof decodedHeader.alg !== "string" || decodedHeader.alg.length === 0) return false;
  return decodeBase64Json(payload) !== undefined;
}
