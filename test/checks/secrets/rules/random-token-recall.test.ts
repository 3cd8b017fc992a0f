/**
 * Recall on random credentials: an entropy floor or a placeholder heuristic that rejects more than
 * 0.1% of randomly generated tokens of a provider's format misses real leaks. Each case builds
 * 10,000 tokens of the documented format (seeded, so a failure reproduces) and runs them through the
 * rule's pattern and every filter the scanner applies.
 */
import { describe, expect, it } from "vitest";
import { compileSecretRule } from "../../../../src/checks/secrets/compiled-rule.js";
import { secretRules } from "../../../../src/checks/secrets/rules/index.js";
import { accepts } from "../../../../src/checks/secrets/scanner.js";

const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const TOKENS = 10_000;

/** mulberry32: small, seeded, good enough to draw characters. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Format {
  readonly rule: string;
  readonly line: (token: string) => string;
  readonly prefix?: string;
  readonly alphabet: string;
  readonly length: number;
}

const formats: readonly Format[] = [
  { rule: "vonage-api-secret", line: (t) => `VONAGE_API_SECRET=${t}`, alphabet: BASE62, length: 16 },
  { rule: "atlassian-legacy-api-token", line: (t) => `JIRA_API_TOKEN=${t}`, alphabet: BASE62, length: 24 },
  { rule: "vercel-access-token", line: (t) => `VERCEL_TOKEN=${t}`, alphabet: BASE62, length: 24 },
  { rule: "alibaba-access-key-secret", line: (t) => `ALIBABA_CLOUD_ACCESS_KEY_SECRET=${t}`, alphabet: BASE62, length: 30 },
  { rule: "pagerduty-api-key", line: (t) => `PAGERDUTY_API_KEY=${t}`, alphabet: `${BASE62}_+-`, length: 20 },
  { rule: "vultr-api-key", line: (t) => `VULTR_API_KEY=${t}`, alphabet: UPPER_DIGITS, length: 36 },
  { rule: "octopus-deploy-api-key", line: (t) => `OCTOPUS_API_KEY=${t}`, prefix: "API-", alphabet: UPPER_DIGITS, length: 26 },
  { rule: "pusher-app-secret", line: (t) => `PUSHER_APP_SECRET=${t}`, alphabet: "0123456789abcdef", length: 20 },
  { rule: "hashicorp-vault-service-token", line: (t) => `VAULT_TOKEN=${t}`, prefix: "hvs.", alphabet: `${BASE62}_-`, length: 24 },
  { rule: "twitter-api-secret", line: (t) => `TWITTER_ACCESS_TOKEN_SECRET=${t}`, alphabet: BASE62, length: 45 },
  { rule: "oracle-oci-auth-token", line: (t) => `OCI_AUTH_TOKEN=${t}`, alphabet: `${BASE62}()<>:;.{}+_#-`, length: 20 },
];

describe("random tokens of real formats are reported", () => {
  it.each(formats)("$rule: at most 0.1% of random tokens are rejected", (format) => {
    const rule = secretRules.find((r) => r.id === format.rule);
    expect(rule, format.rule).toBeDefined();
    const compiled = compileSecretRule(rule!);
    const random = seeded(0x5ec2e7);
    const missed: string[] = [];
    for (let i = 0; i < TOKENS; i++) {
      let token = format.prefix ?? "";
      for (let j = 0; j < format.length; j++) token += format.alphabet[Math.floor(random() * format.alphabet.length)];
      const line = format.line(token);
      const found = compiled.find(line).some((c) => c.secret === token && accepts(compiled, c.secret, line));
      if (!found) missed.push(token);
    }
    expect(missed.length, `${missed.length} of ${TOKENS} missed, e.g. ${missed.slice(0, 3).join(" ")}`).toBeLessThanOrEqual(TOKENS / 1000);
  });
});
