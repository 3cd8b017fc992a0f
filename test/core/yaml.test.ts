import { describe, expect, it } from "vitest";
import { keyLinesAt, lineOfPath, parseYaml, parseYamlDocuments, YamlError } from "../../src/core/yaml.js";

function thrown(fn: () => unknown): YamlError {
  try {
    fn();
  } catch (error) {
    if (error instanceof YamlError) return error;
    throw error;
  }
  throw new Error("did not throw");
}

describe("parseYaml", () => {
  it("gives data and the lines of keys", () => {
    const parsed = parseYaml("\uFEFFa:\r\n  b: 1\r\n  c:\r\n    - x\r\n");
    expect(parsed.value).toEqual({ a: { b: 1, c: ["x"] } });
    expect(lineOfPath(parsed, ["a", "c"])).toBe(3);
    expect(lineOfPath(parsed, ["a", "missing"])).toBe(1);
    expect([...keyLinesAt(parsed, ["a"])]).toEqual([["b", 2], ["c", 3]]);
  });

  it("names the line of a syntax error and of the second of two equal keys", () => {
    expect(thrown(() => parseYaml("a: [1, 2\nb: 3\n")).message).toMatch(/^invalid YAML at line \d+, column \d+: /);
    const duplicate = thrown(() => parseYaml("top:\n  x: 1\n  y: 2\n  x: 3\n"));
    expect(duplicate.line).toBe(4);
    expect(duplicate.message).toMatch(/^duplicate key at line 4, column 3: "x"/);
    expect(() => parseYaml("a: 1\na: 2\n", { uniqueKeys: false })).not.toThrow();
  });

  it("checks duplicate keys in linear time on a 20,000-key mapping", () => {
    const text = `packages:\n${Array.from({ length: 20_000 }, (_, i) => `  pkg-${i}@1.0.0: { version: 1.0.0 }`).join("\n")}\n  pkg-7@1.0.0: { version: 2 }\n`;
    expect(thrown(() => parseYaml(text)).line).toBe(20_002);
    // The check must cost little next to the parse itself: with it, the parse takes at most twice as
    // long as without (the library's quadratic check made it over ten times as long here).
    const fastest = (run: () => unknown) => {
      let best = Infinity;
      for (let i = 0; i < 2; i++) {
        const started = performance.now();
        try {
          run();
        } catch {
          // the duplicate key: timed all the same
        }
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const unchecked = fastest(() => parseYaml(text, { uniqueKeys: false }));
    expect(fastest(() => parseYaml(text))).toBeLessThan(2 * unchecked + 100);
  });

  it("refuses an alias bomb instead of expanding it", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]", "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]"].join("\n");
    expect(thrown(() => parseYaml(bomb)).message).toContain("invalid YAML");
  });

  it("reads every document of a stream, and none of an empty one", () => {
    expect(parseYamlDocuments("a: 1\n---\nb: 2\n").map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseYamlDocuments("")).toEqual([]);
  });
});

describe("nesting", () => {
  it("refuses absurd nesting before the parser recurses into it, and accepts ordinary files", () => {
    expect(thrown(() => parseYaml(`a: ${"[".repeat(20_000)}`)).message).toMatch(/nested deeper than 500 levels/);
    expect(thrown(() => parseYaml(`${"- ".repeat(20_000)}x\n`)).message).toMatch(/nested deeper than 500/);
    expect(parseYaml('a: "[[[[[[" # [[[[\nb: [1, [2, [3]]]\nc: \'{{\'\n').value).toEqual({ a: "[[[[[[", b: [1, [2, [3]]], c: "{{" });
  });
});
