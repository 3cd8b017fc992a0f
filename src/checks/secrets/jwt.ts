/**
 * JSON Web Tokens are readable: decoding header and payload says what a leaked token grants
 * (issuer, algorithm, expiry) without verifying it. Only these claims leave this module, never the
 * signature or the token itself.
 */

export interface JwtSummary {
  readonly alg?: string;
  readonly iss?: string;
  /** Expiry as an ISO date-time, when the token has `exp`. */
  readonly exp?: string;
  readonly expired: boolean;
  /** The example token of the JWT documentation and jwt.io (subject 1234567890, John Doe). */
  readonly documentedExample: boolean;
}

const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;
/** Decoding is bounded: a header or payload larger than this is not a token anyone would paste. */
const MAX_PART_CHARS = 16 * 1024;

export function looksLikeJwt(value: string): boolean {
  return JWT_SHAPE.test(value);
}

/** Header and payload claims of a JWT, or `undefined` when it does not decode to two JSON objects. */
export function decodeJwt(token: string, now: Date = new Date()): JwtSummary | undefined {
  if (!looksLikeJwt(token)) return undefined;
  const [headerPart, payloadPart] = token.split(".");
  if (!headerPart || !payloadPart || headerPart.length > MAX_PART_CHARS || payloadPart.length > MAX_PART_CHARS) {
    return undefined;
  }
  const header = parseJsonObject(headerPart);
  const payload = parseJsonObject(payloadPart);
  if (!header || !payload) return undefined;
  const alg = typeof header.alg === "string" ? clip(header.alg) : undefined;
  const iss = typeof payload.iss === "string" ? clip(payload.iss) : undefined;
  let exp: string | undefined;
  let expired = false;
  if (typeof payload.exp === "number" && Number.isFinite(payload.exp)) {
    const date = new Date(payload.exp * 1000);
    if (!Number.isNaN(date.getTime())) {
      exp = date.toISOString();
      expired = date.getTime() < now.getTime();
    }
  }
  const documentedExample = payload.sub === "1234567890" && payload.name === "John Doe";
  return { alg, iss, exp, expired, documentedExample };
}

/** "JWT signed with HS256, issued by https://auth.example.com, expired 2024-05-01" */
export function describeJwt(summary: JwtSummary): string {
  const parts = [`JWT signed with ${summary.alg ?? "an unknown algorithm"}`];
  if (summary.iss) parts.push(`issued by ${summary.iss}`);
  if (summary.exp) parts.push(`${summary.expired ? "expired" : "expires"} ${summary.exp.slice(0, 10)}`);
  else parts.push("no expiry");
  return parts.join(", ");
}

function parseJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Claims are attacker-chosen text that ends up in comments: keep them short and on one line. */
function clip(text: string): string {
  const oneLine = text.replace(/[\u0000-\u001f\u007f]/g, " ");
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}
