import { describe, expect, it } from "vitest";
import { Utf8Chunks } from "../../../src/posture/audit/utf8-chunks.js";

/** Records of mixed widths: ASCII, 2- and 3-byte characters, surrogate pairs, a lone surrogate. */
const RECORDS = Array.from({ length: 200 }, (_, i) => ["plain ascii ", "café ", "中文 ", "😀🚀 ", "lone \ud800 "][i % 5]!.repeat(1 + (i % 7)) + `#${i}\n`);

function pack(chunkBytes: number, records: readonly string[]): Buffer[] {
  const out = new Utf8Chunks(chunkBytes);
  for (const record of records) {
    out.reserve(record.length);
    out.write(record);
  }
  return out.take();
}

describe("Utf8Chunks", () => {
  it("writes exactly the bytes Buffer.from writes, across chunk boundaries", () => {
    for (const size of [16, 64, 1000, 1 << 20]) {
      const chunks = pack(size, RECORDS);
      expect(Buffer.concat(chunks).equals(Buffer.from(RECORDS.join(""), "utf8")), `chunk size ${size}`).toBe(true);
    }
  });

  it("keeps each record whole in one chunk, so every chunk is valid UTF-8 alone", () => {
    const chunks = pack(64, RECORDS);
    expect(chunks.length).toBeGreaterThan(20);
    for (const chunk of chunks) {
      expect(chunk.at(-1)).toBe(0x0a);
      expect(Buffer.from(chunk.toString("utf8"), "utf8").equals(chunk)).toBe(true);
    }
  });

  it("keeps a record larger than a chunk whole, in a chunk that starts with it", () => {
    const big = `${"é".repeat(5000)}\n`;
    const chunks = pack(100, ["a\n", big, "b\n"]).map((c) => c.toString("utf8"));
    expect(chunks[0]).toBe("a\n");
    expect(chunks[1]!.startsWith(big)).toBe(true);
    expect(chunks.join("")).toBe(`a\n${big}b\n`);
  });

  it("starts afresh after take: nothing written twice, nothing left behind", () => {
    const out = new Utf8Chunks(1024);
    out.reserve(3);
    out.write("one");
    const first = out.take();
    out.reserve(3);
    out.write("two");
    expect(first.map(String)).toEqual(["one"]);
    expect(out.take().map(String)).toEqual(["two"]);
    expect(out.take()).toEqual([]);
    // The first chunk still holds its bytes: the second was written after it, not over it.
    expect(String(first[0])).toBe("one");
  });
});
