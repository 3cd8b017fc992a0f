import { describe, expect, it } from "vitest";
import { assignedKey, keyWords, namesDigest, namesNonCredentialToken } from "../../../src/checks/secrets/assigned-key.js";

const VALUE = "b38450ccc718512ec7f966adc5f73a0e";

describe("assignedKey", () => {
  it.each([
    [`api_key = "${VALUE}"`, "api_key"],
    [`  "apiKey": "${VALUE}",`, "apiKey"],
    [`const cfApiToken: string = "${VALUE}";`, "cfApiToken"],
    [`static AUTH_TOKEN: &'static str = "${VALUE}";`, "AUTH_TOKEN"],
    [`\tdatadogApiKey string = "${VALUE}"`, "datadogApiKey"],
    [`$config['db_password'] = '${VALUE}';`, "db_password"],
    [`$dbpasswd = '${VALUE}';`, "dbpasswd"],
    [`define( 'AUTH_KEY',     '${VALUE}' );`, "AUTH_KEY"],
    [`ENV API_TOKEN ${VALUE}`, "API_TOKEN"],
    [`config.auth.token = "${VALUE}"`, "config.auth.token"],
  ])("%s names %s", (line, key) => {
    expect(assignedKey(line, VALUE)).toBe(key);
  });

  it("is undefined when nothing names the value", () => {
    expect(assignedKey(VALUE, VALUE)).toBeUndefined();
    expect(assignedKey(`"${VALUE}"`, VALUE)).toBeUndefined();
    expect(assignedKey("token = x", VALUE)).toBeUndefined();
  });
});

describe("keyWords", () => {
  it("splits snake, kebab, dotted and camel case, acronyms included", () => {
    expect(keyWords("NextContinuationToken")).toEqual(["next", "continuation", "token"]);
    expect(keyWords("next_page-token")).toEqual(["next", "page", "token"]);
    expect(keyWords("APIKey")).toEqual(["api", "key"]);
    expect(keyWords("passwordSHA256")).toEqual(["password", "sha256"]);
    expect(keyWords("config.auth.token")).toEqual(["config", "auth", "token"]);
  });
});

describe("namesDigest", () => {
  it("is true for digests, checksums and identifiers of credentials", () => {
    for (const key of ["token_sha256", "passwordHash", "password_hash", "secret_checksum", "apiKeyMd5", "api_key_fingerprint", "token_hmac", "access_key_id", "SECRET_KEY_SHA1", "tokenDigest", "secret_etag", "token_commit"]) {
      expect(namesDigest(key), key).toBe(true);
    }
  });

  it("is false for credential names, HMAC keys included", () => {
    for (const key of ["api_key", "HEROKU_API_KEY", "oauth_token", "auth_token", "secret_key_base", "secret", "client_secret", "hmac_secret", "hmacKey", "encryption_key", "sharedSecret"]) {
      expect(namesDigest(key), key).toBe(false);
    }
  });
});

describe("namesNonCredentialToken", () => {
  it("is true for pagination, continuation, sync and CSRF tokens", () => {
    for (const key of ["NextContinuationToken", "nextPageToken", "continuationToken", "pageToken", "cursor_token", "termToken", "syncToken", "next_token", "NextToken", "resumeToken", "csrf_token", "X-CSRF-Token", "authenticity_token", "csrfmiddlewaretoken", "idempotency_token"]) {
      expect(namesNonCredentialToken(key), key).toBe(true);
    }
  });

  it("is false for credentials, CSRF signing secrets included", () => {
    for (const key of ["access_token", "refresh_token", "sessionToken", "AUTH_TOKEN", "api_token", "csrf_secret", "page_secret", "next_password"]) {
      expect(namesNonCredentialToken(key), key).toBe(false);
    }
  });
});
