import { describe, expect, it } from "vitest";
import { looksGenerated } from "../../../../src/checks/secrets/rules/generic.js";

describe("looksGenerated (generic rules' value filter)", () => {
  it("accepts values that look generated", () => {
    for (const value of ["kX9q2LmT7vR4pZ8w", "aG9zdDpwYXNzd29yZDEyMw==", "Tr0ub4dor&3xyz"]) expect(looksGenerated(value), value).toBe(true);
  });

  it("leaves values with a vendor prefix to the vendor's rule", () => {
    expect(looksGenerated("ghp_kX9q2LmT7vR4pZ8wQ1sD3fG5hJ7kL9zX0cV2")).toBe(false);
    expect(looksGenerated("sk_live_kX9q2LmT7vR4pZ8wQ1sD3fG5")).toBe(false);
    expect(looksGenerated("xoxb-1234-5678-kX9q2LmT7vR4")).toBe(false);
  });

  it("rejects hashes, UUIDs, references, paths, URLs, words and numbers", () => {
    for (const value of [
      "d41d8cd98f00b204e9800998ecf8427e",
      "da39a3ee5e6b4b0d3255bfef95601890afd80709",
      "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
      "$SECRET_VALUE",
      "process.env.API_TOKEN",
      "secrets.API_TOKEN",
      "/run/secrets/api_token",
      "https://vault.acme.dev/v1/secret",
      "this.config.auth.token",
      "REPLACE_WITH_YOUR_TOKEN",
      "2026-01-01T00:00:00",
      "changeme",
    ]) {
      expect(looksGenerated(value), value).toBe(false);
    }
  });
});

describe("looksGenerated: values people write", () => {
  it("rejects words with separators or a trailing number", () => {
    for (const value of ["existingtoken123", "useraccesstoken123", "real-secret-6-levels", "my_app_key_2024", "Super.Secret.Value.42", "?NonExpressionParenEnd", "true|false", "read/write/admin1"]) {
      expect(looksGenerated(value), value).toBe(false);
    }
  });

  it("keeps random values that happen to contain a word", () => {
    expect(looksGenerated("token9Xq2LmT7vR4pZ8w")).toBe(true);
    expect(looksGenerated("x8f2k9q1m3n7p5r2")).toBe(true);
  });
});

describe("looksGenerated: URL query strings", () => {
  it("rejects a value that runs on into further query parameters", () => {
    expect(looksGenerated("sdlfkj452&state=ss345asyht&token_type=Bearer")).toBe(false);
    expect(looksGenerated("fO&jUyhbLCP2KC")).toBe(true);
  });
});
