import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isCredentialName, judgeCredentialLiteral, looksGenerated } from "../../../../src/checks/policy/workflow/credentials.js";

describe("isCredentialName", () => {
  it("knows the names of credential inputs and variables", () => {
    for (const n of ["password", "registry-password", "token", "github-token", "NPM_TOKEN", "AWS_SECRET_ACCESS_KEY", "aws-secret-access-key", "api-key", "apiKey", "DD_API_KEY", "client_secret", "SECRET_KEY_BASE", "private-key", "SENTRY_AUTH_TOKEN", "passwd"])
      expect(isCredentialName(n), n).toBe(true);
  });

  it("leaves names that only mention a credential", () => {
    for (const n of ["username", "token-format", "password-file", "TOKEN_PATH", "secret-name", "aws-access-key-id", "key", "registry", "tokenizer", "api-url", "SECRET_ENV", "id-token"])
      expect(isCredentialName(n), n).toBe(false);
  });
});

describe("judgeCredentialLiteral", () => {
  it("reports vendor tokens with high confidence, redacted", () => {
    const token = "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";
    const verdict = judgeCredentialLiteral(token, "credential");
    expect(verdict).toMatchObject({ confidence: "high", kind: expect.stringContaining("GitHub") });
    expect(verdict!.redacted).not.toContain(token.slice(4, 30));
    expect(verdict!.redacted.startsWith("ghp_")).toBe(true);
  });

  it("reports long random-looking values with medium confidence", () => {
    expect(judgeCredentialLiteral("q7TzX2mV9kRb4WcN8pLs3HdY", "credential")).toMatchObject({ confidence: "medium" });
    expect(judgeCredentialLiteral("3f9c1e7a5b2d8f4a6c0e9b7d1f3a5c8e", "credential")).toMatchObject({ confidence: "medium" });
  });

  it("does not report the throwaway passwords of CI service containers", () => {
    for (const v of ["postgres", "root", "test", "password", "example", "secret", "mysecretpassword", "YourStrong!Passw0rd", "yourStrong(!)Password", "P@ssw0rd123456789", "Password123!", "admin123", "changeme", "rootpassword", "testing_password_123", "minioadmin", "keycloak", "guest", "super-secret-jwt-token-with-at-least-32-characters-long"])
      expect(judgeCredentialLiteral(v, "credential"), v).toBeUndefined();
  });

  it("never treats expressions and references as literals", () => {
    for (const v of ["${{ secrets.NPM_TOKEN }}", "${{ github.token }}", "$NPM_TOKEN", "${NPM_TOKEN}", "%NPM_TOKEN%", "pre-${{ secrets.X }}"]) expect(judgeCredentialLiteral(v, "registry-login"), v).toBeUndefined();
  });

  it("a registry login takes any real-looking literal password", () => {
    expect(judgeCredentialLiteral("hunter2hunter", "registry-login")).toMatchObject({ confidence: "medium" });
    expect(judgeCredentialLiteral("hunter2hunter", "credential")).toBeUndefined();
    expect(judgeCredentialLiteral("password", "registry-login")).toBeUndefined();
  });

  it("digests differ by value and never contain it", () => {
    const a = judgeCredentialLiteral("q7TzX2mV9kRb4WcN8pLs3HdY", "credential")!;
    const b = judgeCredentialLiteral("Z7TzX2mV9kRb4WcN8pLs3HdY", "credential")!;
    expect(a.digest).not.toBe(b.digest);
    expect(a.digest).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe("looksGenerated", () => {
  it("rejects paths, identifiers, URLs and short values", () => {
    for (const v of ["./secrets/token.txt", "https://example.com/token", "MY_TOKEN_VARIABLE", "shortRandom9", "configAuthToken", "a b c d e f g h i j k l"]) expect(looksGenerated(v), v).toBe(false);
  });

  it("accepts UUIDs (API keys of several vendors are UUIDs)", () => {
    expect(looksGenerated("2b7e151a-28ae-4d2a-abf7-158809cf4f3c")).toBe(true);
  });
});

describe("action inputs", () => {
  it("a chosen password for a real account is reported at low confidence; throwaway words are not", () => {
    expect(judgeCredentialLiteral("deployer2023", "action-input")).toMatchObject({ confidence: "low" });
    for (const v of ["postgres", "password", "rootpassword", "testing123", "changeme", "letters", "${{ secrets.SSH_PASSWORD }}"]) expect(judgeCredentialLiteral(v, "action-input"), v).toBeUndefined();
    expect(judgeCredentialLiteral("deployer2023", "credential")).toBeUndefined();
  });
});

describe("keys and webhooks", () => {
  it("knows key and webhook names", () => {
    for (const n of ["ssh-key", "DEPLOY_KEY", "signing-key", "credentials_json", "SLACK_WEBHOOK", "slack-webhook-url"]) expect(isCredentialName(n), n).toBe(true);
  });

  it("a private key literal is reported with high confidence", () => {
    const pem = generateKeyPairSync("ed25519", { privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
    expect(judgeCredentialLiteral(pem, "action-input")?.confidence).toBe("high");
  });
});
