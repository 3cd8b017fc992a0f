import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DiffTextFeed, PIECE_BYTES } from "../../../src/sources/git/diff-text-feed.js";

function feedAll(chunks: readonly Buffer[], pieceBytes?: number): string[] {
  const pieces: string[] = [];
  const feed = new DiffTextFeed((piece) => pieces.push(piece), pieceBytes);
  for (const chunk of chunks) feed.write(chunk);
  feed.end();
  return pieces;
}

function cut(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const at of [...new Set(cuts)].sort((a, b) => a - b)) {
    chunks.push(bytes.subarray(from, at));
    from = at;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

// ASCII and non-ASCII lines, CRLF, and bytes that are not UTF-8 (a lone lead byte, a stray
// continuation byte, 0xff), so the split decoding must match whole decoding's U+FFFD too.
const fragment = fc.constantFrom(
  Buffer.from("+plain ascii line\n"),
  Buffer.from(" context\r\n"),
  Buffer.from("+héllo wörld\n"),
  Buffer.from("+😀 €\n"),
  Buffer.from("\n"),
  Buffer.from([0x2b, 0xc3, 0x0a]),
  Buffer.from([0x80, 0x41]),
  Buffer.from([0xff, 0x0a]),
  Buffer.from([0xf0, 0x9f, 0x98]),
  Buffer.from("no line end"),
);

describe("DiffTextFeed", () => {
  it("gives exactly the whole output's UTF-8 decoding, for any chunking and piece size", () => {
    fc.assert(
      fc.property(
        fc.array(fragment, { maxLength: 80 }).chain((parts) => {
          const bytes = Buffer.concat(parts);
          return fc.tuple(fc.constant(bytes), fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 30 }), fc.integer({ min: 1, max: 64 }));
        }),
        ([bytes, cuts, pieceBytes]) => {
          expect(feedAll(cut(bytes, cuts), pieceBytes).join("")).toBe(bytes.toString("utf8"));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("hands pieces over at line ends once they reach the piece size", () => {
    const line = Buffer.from(`+${"a".repeat(99)}\n`);
    const bytes = Buffer.concat(Array.from({ length: 30 }, () => line));
    const pieces = feedAll(cut(bytes, [7, 1000, 1001, 2222]), 1000);
    expect(pieces.join("")).toBe(bytes.toString("utf8"));
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith("\n")).toBe(true);
  });

  it("waits for the end of a line longer than a piece", () => {
    const long = Buffer.from(`+${"x".repeat(5000)}\n+y\n`);
    const pieces: string[] = [];
    const feed = new DiffTextFeed((piece) => pieces.push(piece), 50);
    for (const chunk of cut(long, [100, 200, 300, 4000])) {
      feed.write(chunk);
      // Nothing is handed over before the first line end has arrived.
      if (chunk.indexOf(10) === -1) expect(pieces).toEqual([]);
    }
    feed.end();
    expect(pieces).toEqual([long.toString("utf8")]);
  });

  it("decodes stretches of ASCII lines apart from a line with a non-ASCII character", () => {
    const ascii = Buffer.from(`+${"a".repeat(40)}\n`.repeat(1000));
    const bytes = Buffer.concat([ascii, Buffer.from("+é\n"), ascii]);
    const pieces = feedAll([bytes], PIECE_BYTES);
    expect(pieces.join("")).toBe(bytes.toString("utf8"));
    // The piece holding `é` (stored at two bytes per character) is a block, not the whole output.
    const wide = pieces.filter((p) => /[^\x00-\x7f]/.test(p));
    expect(wide).toHaveLength(1);
    expect(wide[0]!.length).toBeLessThan(bytes.length / 4);
  });
});
