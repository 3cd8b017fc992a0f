import fc from "fast-check";
import { visit } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { parseJsonWithLines } from "../../../../src/checks/dependencies/parsers/json-with-lines.js";
import { parseErrorOf } from "./parser-properties.js";

/** The reference: every key and element line by jsonc-parser's full tokenizer (slow, obviously right). */
function referenceLines(text: string, maxDepth: number): Map<string, number> {
  const lines = new Map<string, number>();
  const path: (string | number)[] = [];
  const kinds: ("o" | "a")[] = [];
  const next: number[] = [];
  const element = (line: number) => {
    const d = kinds.length;
    if (d > 0 && kinds[d - 1] === "a") {
      path[d - 1] = next[d - 1]!++;
      if (d <= maxDepth) lines.set(JSON.stringify(path.slice(0, d)), line + 1);
    }
  };
  visit(text, {
    onObjectBegin: (_o, _l, line) => void (element(line), kinds.push("o"), next.push(0), path.push("")),
    onArrayBegin: (_o, _l, line) => void (element(line), kinds.push("a"), next.push(0), path.push(0)),
    onObjectEnd: () => void (kinds.pop(), next.pop(), path.pop()),
    onArrayEnd: () => void (kinds.pop(), next.pop(), path.pop()),
    onObjectProperty: (key, _o, _l, line) => {
      const d = kinds.length;
      path[d - 1] = key;
      if (d <= maxDepth) lines.set(JSON.stringify(path.slice(0, d)), line + 1);
    },
    onLiteralValue: (_v, _o, _l, line) => element(line),
  });
  return lines;
}

function allPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...allPaths(v, [...prefix, k])]);
}

describe("parseJsonWithLines", () => {
  it("gives the lines of keys and array elements down to maxDepth", () => {
    const j = parseJsonWithLines('{\n "a": {\n  "b": [\n   1,\n   {"c": 2}\n  ]\n },\n "d": 3\n}', 4);
    expect([j.lineOf(["a"]), j.lineOf(["a", "b"]), j.lineOf(["a", "b", 0]), j.lineOf(["a", "b", 1]), j.lineOf(["a", "b", 1, "c"]), j.lineOf(["d"])]).toEqual([2, 3, 4, 5, 5, 8]);
    expect(j.lineOf(["a", "b", 1, "c", "x"])).toBeUndefined();
  });

  it("agrees with a full JSON tokenizer on any JSON, any indentation, escaped keys and strings with quotes", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 1, 2, "\t"), fc.integer({ min: 1, max: 4 }), (value, indent, maxDepth) => {
        const text = JSON.stringify(value, null, indent);
        const parsed = parseJsonWithLines(text, maxDepth);
        const reference = referenceLines(text, maxDepth);
        for (const path of allPaths(value).filter((p) => p.length <= maxDepth)) {
          expect(parsed.lineOf(path), JSON.stringify(path)).toBe(reference.get(JSON.stringify(path)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("names the line of a syntax error, and accepts a BOM and CRLF", () => {
    expect(parseErrorOf(() => parseJsonWithLines('{\n  "a": 1,\n  "b": }', 2)).line).toBe(3);
    const j = parseJsonWithLines('\uFEFF{\r\n  "a": {\r\n    "b": "x\\"y"\r\n  }\r\n}', 2);
    expect(j.lineOf(["a", "b"])).toBe(3);
  });
});
