import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactSecret } from "../../src/core/redact.js";

/** Characters of `secret` (outside its known prefix) that the redacted form shows. */
function revealed(secret: string, redacted: string, prefix = ""): number {
  const shown = redacted.slice(0, redacted.indexOf("…"));
  const tail = redacted.slice(redacted.indexOf("…") + 1, redacted.lastIndexOf(" ("));
  const keptPrefix = prefix && secret.startsWith(prefix) ? prefix.length : 0;
  return shown.length - keptPrefix + tail.length;
}

const secretChars = fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/="), minLength: 0, maxLength: 200 });

describe("redactSecret", () => {
  it("never reveals more than a third of the secret", () => {
    fc.assert(
      fc.property(secretChars, (secret) => {
        const redacted = redactSecret(secret);
        expect(revealed(secret, redacted) * 3).toBeLessThanOrEqual(secret.length);
        if (secret.length >= 6) expect(redacted).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a known prefix and reveals at most a third of the rest", () => {
    fc.assert(
      fc.property(fc.constantFrom("ghp_", "AKIA", "sk_live_", "xoxb-"), secretChars, (prefix, body) => {
        const secret = prefix + body;
        const redacted = redactSecret(secret, prefix);
        expect(redacted.startsWith(prefix)).toBe(true);
        expect(revealed(secret, redacted, prefix) * 3).toBeLessThanOrEqual(body.length);
        expect(redacted).toContain(`(${secret.length} chars)`);
      }),
      { numRuns: 500 },
    );
  });

  it("ignores a prefix the secret does not start with", () => {
    expect(redactSecret("abcdefghijklmnopqrstuvwxyz0123456789", "ghp_")).toBe("abcd…6789 (36 chars)");
  });

  it("shows a recognisable but partial form", () => {
    expect(redactSecret("ghp_0123456789abcdefghijklmnopqrstuvwxyz", "ghp_")).toBe("ghp_0123…wxyz (40 chars)");
    expect(redactSecret("short")).toBe("… (5 chars)");
  });
});
