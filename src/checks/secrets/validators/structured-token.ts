/**
 * Tokens whose middle part is base64 JSON written by the provider: a random string with the same
 * prefix does not decode, so these checks remove look-alikes without any network call.
 */
import { decodeBase64, decodeBase64Json } from "./base64.js";

/**
 * Sentry organization auth tokens: `sntrys_` + base64 of a JSON payload (issued-at time, Sentry
 * URLs, organization) + `_` + the random secret. https://docs.sentry.io/account/auth-tokens/
 */
export function isSentryOrgToken(token: string): boolean {
  const match = /^sntrys_([A-Za-z0-9+/=]+)_([A-Za-z0-9+/_-]+)$/.exec(token);
  if (!match) return false;
  const payload = decodeBase64Json(match[1]!);
  return payload !== undefined && "iat" in payload;
}

/**
 * Grafana Cloud access policy tokens: `glc_` + base64 of a JSON object that names the
 * organization (`o`), the token name (`n`) and the key (`k`).
 */
export function isGrafanaCloudToken(token: string): boolean {
  if (!token.startsWith("glc_")) return false;
  const payload = decodeBase64Json(token.slice(4));
  return payload !== undefined && typeof payload.k === "string" && typeof payload.o === "string";
}

/** Grafana's older API keys: base64 of `{"k":"...","n":"...","id":N}`. */
export function isGrafanaLegacyApiKey(token: string): boolean {
  const payload = decodeBase64Json(token);
  return payload !== undefined && typeof payload.k === "string" && typeof payload.n === "string";
}

/**
 * Amazon Bedrock long-term API keys: `ABSK` + base64 of `BedrockAPIKey-<id>-at-<account id>:<secret>`.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-how.html
 */
export function isBedrockApiKey(token: string): boolean {
  if (!token.startsWith("ABSK")) return false;
  const decoded = decodeBase64(token.slice(4))?.toString("latin1") ?? "";
  return /^BedrockAPIKey-[A-Za-z0-9]{1,32}-at-[0-9]{12}:[\x21-\x7e]{8,}$/.test(decoded);
}
