/**
 * The streaming parser must give exactly what the whole-text parser gives, however git's output is
 * cut into chunks: inside a line, inside a CRLF pair, inside a multi-byte UTF-8 character.
 */
import { readdirSync, readFileSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseUnifiedDiff, UnifiedDiffParser, type ParsedFileDiff } from "../../../src/core/diff/parse-unified-diff.js";

const fixtures = new URL("../../fixtures/diffs/", import.meta.url);

/** Feeds `bytes` cut at `cuts` (byte offsets) through a UTF-8 decoder, as open-git-change does. */
function parseInChunks(bytes: Buffer, cuts: readonly number[]): ParsedFileDiff[] {
  const decoder = new StringDecoder("utf8");
  const parser = new UnifiedDiffParser();
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    parser.push(decoder.write(bytes.subarray(from, cut)));
    from = cut;
  }
  parser.push(decoder.write(bytes.subarray(from)));
  parser.push(decoder.end());
  return parser.end();
}

/** Plain data, so that two parses compare by value (commentable lines in ascending order). */
function plain(files: ParsedFileDiff[]): unknown[] {
  return files.map((f) => ({ ...f, commentableLines: [...f.commentableLines] }));
}

function cutsArbitrary(length: number) {
  return fc.array(fc.integer({ min: 0, max: length }), { maxLength: 40 });
}

// Fragments that make real and hostile diffs when strung together: headers, hunk lines that look
// like headers, CRLF, 2-, 3- and 4-byte UTF-8, lines with no line end.
const fragment = fc.constantFrom(
  "diff --git a/x.txt b/x.txt\n",
  "diff --git \"a/t\\303\\251st\" \"b/t\\303\\251st\"\n",
  "new file mode 100644\n",
  "deleted file mode 100755\n",
  "index 1234567..89abcde 100644\n",
  "rename from old é.txt\n",
  "rename to new €.txt\n",
  "similarity index 90%\n",
  "Binary files a/x and b/x differ\n",
  "--- a/x.txt\n",
  "--- /dev/null\r\n",
  "+++ b/x.txt\n",
  "+++ b/ü.txt\t\n",
  "@@ -1,3 +1,4 @@\n",
  "@@ -0,0 +1 @@ ctx\n",
  "@@ -1 +1 @@\r\n",
  "@@ -x +1 @@\n",
  "+added line\n",
  "+héllo wörld €100 😀\n",
  "+crlf content\r\n",
  "+\r\n",
  "+--- a/x.txt\n",
  "+diff --git a/y b/y\n",
  " context\n",
  " 😀 context\r\n",
  "\n",
  "-removed ✓\n",
  "\\ No newline at end of file\n",
  "+no line end",
  "\r",
);

describe("UnifiedDiffParser (streaming)", () => {
  const names = readdirSync(fixtures).filter((n) => n.endsWith(".diff"));

  it("has fixtures to check", () => {
    expect(names.length).toBeGreaterThan(10);
  });

  it.each(names)("gives the whole-text result on %s for any chunking", (name) => {
    const bytes = readFileSync(new URL(name, fixtures));
    const whole = plain(parseUnifiedDiff(bytes.toString("utf8")));
    expect(whole.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(cutsArbitrary(bytes.length), (cuts) => {
        expect(plain(parseInChunks(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 60 },
    );
    // One byte at a time: every boundary, including inside CRLF pairs and multi-byte characters.
    expect(plain(parseInChunks(bytes, Array.from({ length: bytes.length }, (_, i) => i)))).toEqual(whole);
  });

  it("gives the whole-text result on generated diffs cut anywhere", () => {
    fc.assert(
      fc.property(
        fc.array(fragment, { maxLength: 60 }).chain((parts) => {
          const bytes = Buffer.from(parts.join(""), "utf8");
          return fc.tuple(fc.constant(bytes), cutsArbitrary(bytes.length));
        }),
        ([bytes, cuts]) => {
          expect(plain(parseInChunks(bytes, cuts))).toEqual(plain(parseUnifiedDiff(bytes.toString("utf8"))));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("keeps a multi-byte character and a CRLF pair whole when the cut falls inside them", () => {
    const text = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1,2 @@\n+a😀b\r\n+€\n";
    const bytes = Buffer.from(text, "utf8");
    const emoji = bytes.indexOf(Buffer.from("😀"));
    const crlf = bytes.indexOf("\r\n");
    for (const cut of [emoji + 1, emoji + 2, emoji + 3, crlf + 1]) {
      const [file] = parseInChunks(bytes, [cut]);
      expect(file?.addedLines).toEqual([
        { line: 1, text: "a😀b" },
        { line: 2, text: "€" },
      ]);
    }
  });

  it("decides a plain diff's `---` line only when the next line arrives", () => {
    const text = "--- a/one\n+++ b/one\n@@ -1 +1 @@\n-x\n+y\n--- a/two\n+++ b/two\n@@ -1 +1 @@\n-p\n+q\n";
    const bytes = Buffer.from(text);
    const files = parseInChunks(bytes, [bytes.indexOf("--- a/two") + 10]);
    expect(files.map((f) => [f.path, f.addedLines.map((l) => l.text)])).toEqual([
      ["one", ["y"]],
      ["two", ["q"]],
    ]);
  });
});
