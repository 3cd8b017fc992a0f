import { describe, expect, it } from "vitest";
import { MAX_CHECK_ERROR_CHARS, scrubCheckErrorMessage } from "../../src/core/check-error-message.js";

function jsonParseMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("parsed");
}

describe("scrubCheckErrorMessage", () => {
  it("drops the file content Node's JSON.parse quotes into its message", () => {
    const raw = jsonParseMessage("hunter2passwordXYZ and more");
    expect(raw).toContain("hunter2pas"); // what would leak without scrubbing
    const scrubbed = scrubCheckErrorMessage(raw);
    expect(scrubbed).not.toContain("hunter2");
    expect(scrubbed).toContain("is not valid JSON");
  });

  it("drops unquoted token-like runs but keeps words and safe paths", () => {
    const token = "tok_9fA3kQ7zL0pW2xV8mN4b";
    const scrubbed = scrubCheckErrorMessage(`bad value ${token} in "config/app.json" near 'x'`, new Set(["config/app.json"]));
    expect(scrubbed).toBe(`bad value … in "config/app.json" near 'x'`);
  });

  it("drops quoted text that is not a known path", () => {
    expect(scrubCheckErrorMessage(`unexpected "password=correct horse" at line 3`)).toBe(`unexpected "…" at line 3`);
  });

  it("keeps one bounded line", () => {
    const scrubbed = scrubCheckErrorMessage(`${"word ".repeat(200)}\nsecond line`);
    expect(scrubbed.length).toBeLessThanOrEqual(MAX_CHECK_ERROR_CHARS);
    expect(scrubbed).not.toContain("second line");
    expect(scrubCheckErrorMessage("\n")).toBe("unknown error");
  });
});
