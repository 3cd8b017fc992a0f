/**
 * AWS Signature Version 4, just enough to sign one STS request, with node:crypto (no SDK for one
 * call). Follows AWS's documented steps: canonical request, string to sign, derived signing key,
 * signature. Tested against AWS's published example.
 */
import { createHash, createHmac } from "node:crypto";

export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SigV4Request {
  readonly method: string;
  readonly url: URL;
  /** Headers to sign, besides `host` and `x-amz-date` which are added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly region: string;
  readonly service: string;
  readonly date: Date;
}

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** `20150830T123600Z` */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

export function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, day);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}

function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalRequest(request: SigV4Request, signedHeaders: Readonly<Record<string, string>>): string {
  const query = [...request.url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const names = Object.keys(signedHeaders).sort();
  const headers = names.map((n) => `${n}:${signedHeaders[n]!.trim().replace(/\s+/g, " ")}\n`).join("");
  return [
    request.method.toUpperCase(),
    request.url.pathname || "/",
    query,
    headers,
    names.join(";"),
    sha256Hex(request.body),
  ].join("\n");
}

/** The headers to send: the given ones plus `x-amz-date`, the session token if any, and `authorization`. */
export function signV4(request: SigV4Request, credentials: SigV4Credentials): Record<string, string> {
  const stamp = amzDate(request.date);
  const day = stamp.slice(0, 8);
  const signed: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) signed[name.toLowerCase()] = value;
  signed.host = request.url.host;
  signed["x-amz-date"] = stamp;
  if (credentials.sessionToken) signed["x-amz-security-token"] = credentials.sessionToken;
  const scope = `${day}/${request.region}/${request.service}/aws4_request`;
  const canonical = canonicalRequest(request, signed);
  const stringToSign = ["AWS4-HMAC-SHA256", stamp, scope, sha256Hex(canonical)].join("\n");
  const signature = createHmac("sha256", signingKey(credentials.secretAccessKey, day, request.region, request.service))
    .update(stringToSign, "utf8")
    .digest("hex");
  const names = Object.keys(signed).sort().join(";");
  const { host: _host, ...toSend } = signed;
  return {
    ...toSend,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names}, Signature=${signature}`,
  };
}
