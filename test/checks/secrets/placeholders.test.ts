import { describe, expect, it } from "vitest";
import { hasRepeatedRun, hasSequentialRun, isPlaceholder, looksLikeNonSecret } from "../../../src/checks/secrets/placeholders.js";
import { BASE62, BASE64, randomFrom } from "./harness.js";

describe("isPlaceholder", () => {
  it.each([
    "YOUR_API_KEY_HERE",
    "your-secret-token",
    "xxxxxxxxxxxxxxxxxxxx",
    "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
    "****************",
    "<token>",
    "<YOUR_TOKEN>",
    "${GITHUB_TOKEN}",
    "{{ secrets.token }}",
    "{{token}}",
    "$API_KEY",
    "%API_KEY%",
    "process.env.API_KEY",
    "os.environ['API_KEY']",
    "changeme",
    "change-me-please",
    "example-token-123",
    "dummy_password_1",
    "my-fake-key-value",
    "sample_secret_value",
    "test-token-value",
    "aaaaaaaaaaaaaaa",
    "abcdef123456",
    "1234567890abcdef",
    "ghp_abababababababababab",
    "abc...xyz",
    "anonymous:guest",
  ])("recognises %s", (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each(["secret", "my-secret", "password123", "api_key_here", "jwt_secret_key"])("recognises the bare name %s", (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it("judges a value without its vendor prefix", () => {
    const body = randomFrom(BASE62, 43);
    expect(isPlaceholder(`secret_${body}`, { prefix: "secret_" })).toBe(false);
    expect(isPlaceholder(`AGE-SECRET-KEY-1${body}`, { prefix: "AGE-SECRET-KEY-" })).toBe(false);
    expect(isPlaceholder("secret_xxxxxxxxxxxxxxxxxxxxxxxx", { prefix: "secret_" })).toBe(true);
  });

  it("recognises a rule's documented example values", () => {
    expect(isPlaceholder("AKIAIOSFODNN7EXAMPLE", { allow: ["AKIAIOSFODNN7EXAMPLE"] })).toBe(true);
    expect(isPlaceholder("AKIAZZ2QH8DHBQ3D7K5M", { allow: ["AKIAIOSFODNN7EXAMPLE"] })).toBe(false);
  });

  it("does not mistake random tokens for placeholders", () => {
    // Seeded: an unseeded run failed about once in ten CI runs (a 2,000-character token can hold a
    // placeholder-looking run by chance); the seed keeps the test a test of the recogniser.
    const next = seeded(20261201);
    const tokenFrom = (alphabet: string, length: number) => {
      for (;;) {
        let out = "";
        for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
        if (!/(.)\1{3}/.test(out) && !/test|fake|mock|demo|foo|bar|null|none|todo/i.test(out)) return out;
      }
    };
    for (let i = 0; i < 2000; i++) {
      expect(isPlaceholder(tokenFrom(BASE62, 40))).toBe(false);
      expect(isPlaceholder(tokenFrom(BASE64, 2000))).toBe(false);
    }
  });

  it("finds runs", () => {
    expect(hasRepeatedRun("ab111111cd", 6)).toBe(true);
    expect(hasRepeatedRun("ab11111cd", 6)).toBe(false);
    expect(hasSequentialRun("x-stuvwx-y", 6)).toBe(true);
    expect(hasSequentialRun("q987654z", 6)).toBe(true);
    expect(hasSequentialRun("a1b2c3d4e5", 6)).toBe(false);
  });
});

describe("looksLikeNonSecret", () => {
  it.each([
    ["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "token: 3f2504e0-4f89-11d3-9a0c-0305e82c3301"],
    ["d41d8cd98f00b204e9800998ecf8427e", 'password_md5 = "d41d8cd98f00b204e9800998ecf8427e"'],
    ["2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", "commit_token = 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"],
    ["sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==", ""],
    ["iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB", 'token = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"'],
    ["config.auth.token", "token = config.auth.token"],
    ["GITHUB_TOKEN_NAME", "token = GITHUB_TOKEN_NAME"],
    ["this.#state.githubToken", "  githubToken: this.#state.githubToken,"],
    ["Base64URLString", "    credentialId: Base64URLString;"],
    ["sessionTokenValue", "  const opts = { token: sessionTokenValue, retries: 3 };"],
    ["Zq8vLm3Rt7Kp", '  // The response will be like {"secretKey":"Zq8vLm3Rt7Kp"}'],
    ["Zq8vLm3Rt7Kp", "# e.g. password=Zq8vLm3Rt7Kp"],
  ])("treats %s as data", (value, line) => {
    expect(looksLikeNonSecret(value, line)).toBe(true);
  });

  it("keeps high-entropy values", () => {
    expect(looksLikeNonSecret("q8Vt2LmX0zRkP4wNbY7c", 'api_key = "q8Vt2LmX0zRkP4wNbY7c"')).toBe(false);
    expect(looksLikeNonSecret("d41d8cd98f00b204e9800998ecf8427e", 'api_key = "d41d8cd98f00b204e9800998ecf8427e"')).toBe(false);
    expect(looksLikeNonSecret("pbwfpIeOVmvEq", "  password: pbwfpIeOVmvEq")).toBe(false);
    expect(looksLikeNonSecret("pbwfpIeOVmvEq", "# password: pbwfpIeOVmvEq")).toBe(false);
    expect(looksLikeNonSecret("Xk2Lm9Qz4Rw8", 'const p = { password: "Xk2Lm9Qz4Rw8", user };')).toBe(false);
  });
});

describe("looksLikeNonSecret: the key name decides", () => {
  const hex = (length: number) => randomFrom("0123456789abcdef", length);

  it("takes hash-shaped hex under a credential name for a credential", () => {
    for (const [length, line] of [
      [32, "api_key: %"],
      [40, "HEROKU_API_KEY=%"],
      [40, "  oauth_token: %"],
      [32, 'auth_token = "%"'],
      [128, "  secret_key_base: %"],
      [40, 'secret = "%"'],
      [64, 'client_secret: "%"'],
      [64, 'const hmacSecret: string = "%";'],
    ] as const) {
      const value = hex(length);
      expect(looksLikeNonSecret(value, line.replace("%", value)), line).toBe(false);
    }
  });

  it("takes the same hex under a digest name for data, camel case included", () => {
    for (const [length, line] of [
      [64, 'token_sha256 = "%"'],
      [40, "  secret_sha1: %"],
      [32, "api_key_md5: %"],
      [64, 'passwordHash: "%"'],
      [64, "SECRET_CHECKSUM=%"],
      [40, '  "tokenCommit": "%",'],
      [32, 'apiKeyFingerprint = "%"'],
      [32, "access_key_id: %"],
      [64, "csrf_token = %"],
    ] as const) {
      const value = hex(length);
      expect(looksLikeNonSecret(value, line.replace("%", value)), line).toBe(true);
    }
  });

  it("falls back to context words on the line when nothing names the value", () => {
    const value = hex(64);
    expect(looksLikeNonSecret(value, `${value}  sha256`)).toBe(true);
    expect(looksLikeNonSecret(value, value)).toBe(false);
  });

  it("takes pagination and continuation tokens for data, whatever their shape", () => {
    const value = `${randomFrom(BASE62, 40)}+/x=`;
    for (const line of ['  "NextContinuationToken": "%",', '"nextPageToken": "%"', "continuationToken: %", "page_token=%", "  termToken: '%'", "syncToken = \"%\"", '"next_token": "%"']) {
      expect(looksLikeNonSecret(value, line.replace("%", value)), line).toBe(true);
    }
    expect(looksLikeNonSecret(value, `"access_token": "${value}"`)).toBe(false);
  });

  it("takes an unquoted value with brackets for code, unless it is a whole .env or YAML value", () => {
    expect(looksLikeNonSecret("this.#store.getTokens(filePath)", "const cachedTokens = this.#store.getTokens(filePath);")).toBe(true);
    expect(looksLikeNonSecret("x.split(/(,|", "let tokens = x.split(/(,|'[^']*')/);")).toBe(true);
    const key = "k0(3n@x!7^q&w=z2m*p%v$#y8r)b5t[1]c9u4e6h";
    for (const line of [`SECRET_KEY='${key}'`, `SECRET_KEY = "${key}"`, `DJANGO_SECRET_KEY=${key}`, `export SECRET_KEY=${key}  # rotated`, `  secret_key: ${key}`]) {
      expect(looksLikeNonSecret(key, line), line).toBe(false);
    }
  });

  it("takes the right side of a TypeScript type alias for a type", () => {
    expect(looksLikeNonSecret("Buffer|Uint8Array|Blob|string", "export type MqttPassword = Buffer|Uint8Array|Blob|string")).toBe(true);
    expect(looksLikeNonSecret("Xk2Lm9Qz4Rw8", "declare type Token<T> = Xk2Lm9Qz4Rw8")).toBe(true);
    expect(looksLikeNonSecret("Xk2Lm9Qz4Rw8", "const typeToken = Xk2Lm9Qz4Rw8")).toBe(false);
  });
});

/** mulberry32: a small seeded generator, so random inputs are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
