import { describe, expect, it } from "vitest";
import { readQuotedPath } from "../../../src/core/diff/quoted-path.js";

function unquote(text: string) {
  return readQuotedPath(text, 0, text.length);
}

describe("readQuotedPath", () => {
  it("decodes octal escapes as UTF-8 bytes", () => {
    expect(unquote('"a/\\303\\274.txt"')).toEqual({ value: "a/ü.txt", end: 16 });
  });

  it("decodes the C escapes git uses", () => {
    expect(unquote('"t\\tn\\nq\\"b\\\\"')?.value).toBe('t\tn\nq"b\\');
  });

  it("keeps raw non-ASCII characters (core.quotePath=false still quotes for other reasons)", () => {
    expect(unquote('"ü \\"x\\""')?.value).toBe('ü "x"');
  });

  it("stops at the closing quote and reports where it ended", () => {
    const text = '"a b" "c"';
    expect(readQuotedPath(text, 0, text.length)).toEqual({ value: "a b", end: 5 });
  });

  it("returns undefined for an unterminated quote", () => {
    expect(unquote('"abc')).toBeUndefined();
    expect(unquote('"abc\\')).toBeUndefined();
  });

  it("turns invalid UTF-8 byte escapes into U+FFFD", () => {
    expect(unquote('"\\377x"')?.value).toBe("\uFFFDx");
  });
});
