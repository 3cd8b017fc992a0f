/**
 * src/core/yaml.ts under hostile input, as properties: whatever a repository puts in a YAML file
 * (damaged real files, alias bombs, deep nesting, duplicate keys), only `YamlError` escapes, its
 * line is a line of the file, and the work is bounded. The bound is counted, not timed (timers are
 * flaky on a loaded machine and say nothing about the next, larger input):
 * - what a consumer walking the parsed value visits (aliases expanded, as every caller's walk
 *   expands them) is at most linear in the input, times the alias cap;
 * - nesting beyond `MAX_NESTING` is refused by the linear pre-scan (its own message) before the
 *   recursive parser sees it, whatever comes before it in the file.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_ALIAS_COUNT, MAX_NESTING, parseYaml, parseYamlDocuments, YamlError } from "../../src/core/yaml.js";

const FIXTURES = new URL("../fixtures/", import.meta.url);

function yamlFilesIn(folder: string): string[] {
  const url = new URL(`${folder}/`, FIXTURES);
  return readdirSync(url)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => readFileSync(new URL(name, url), "utf8"));
}

const SAMPLES = [
  ...yamlFilesIn("configs/valid"),
  ...yamlFilesIn("configs/invalid"),
  ...yamlFilesIn("policy/workflow/hardening-safe"),
  ...yamlFilesIn("policy/kubernetes/safe"),
  ...yamlFilesIn("dependencies/pnpm-lock"),
];

const lineCountOf = (text: string) => text.split(/\r\n|\r|\n/).length;

/**
 * Values a walk of `value` visits, shared (aliased) ones once per reference, as a consumer's walk
 * does; stops counting past `budget`, so a bomb that got through fails here instead of hanging.
 */
function expandedSize(value: unknown, budget: number): number {
  let visited = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && visited <= budget) {
    const node = stack.pop();
    visited++;
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (node instanceof Map) for (const [k, v] of node) stack.push(k, v);
    else if (node !== null && typeof node === "object") stack.push(...Object.values(node));
  }
  return visited;
}

/** The work bound: every character may stand for one value, each expanded at most `aliases + 1` times. */
const workBound = (text: string, aliases = DEFAULT_MAX_ALIAS_COUNT) => (Math.max(aliases, 0) + 1) * (text.length + 2);

/** `parseYaml` or `parseYamlDocuments`, asserting the contract on whatever comes out. */
function expectContract(text: string, run: () => unknown[], aliases?: number): "parsed" | YamlError {
  let values: unknown[];
  try {
    values = run();
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    if (error.line !== undefined) {
      expect(error.line).toBeGreaterThanOrEqual(1);
      expect(error.line).toBeLessThanOrEqual(lineCountOf(text));
    }
    return error;
  }
  const bound = workBound(text, aliases);
  expect(expandedSize(values, bound)).toBeLessThanOrEqual(bound);
  return "parsed";
}

const one = (text: string, aliases?: number) =>
  expectContract(text, () => [parseYaml(text, aliases === undefined ? {} : { maxAliasCount: aliases }).value], aliases);
const stream = (text: string) => expectContract(text, () => parseYamlDocuments(text).map((d) => d.value));

const DAMAGE_UNITS = [..."\n\r \t\"'`[]{}<>=#/\\:,.-!$&*|>%?@~0", "\u0000", "\ufeff", "\u2028", "\ud800", "&a ", "*a ", "<<: *a\n", "!!binary ", "---\n", "...\n", "  - ", ": |\n", "? ", "%YAML 1.1\n"];
const DAMAGE = fc.array(fc.constantFrom(...DAMAGE_UNITS), { maxLength: 12 }).map((units) => units.join(""));

describe("parseYaml and parseYamlDocuments on damaged real files", () => {
  it("throw nothing but YamlError, with a line in the file, and bounded work", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.nat(), fc.nat(20), DAMAGE, (text, at, cut, insert) => {
        const start = at % (text.length + 1);
        const damaged = text.slice(0, start) + insert + text.slice(start + cut);
        one(damaged);
        stream(damaged);
      }),
      { numRuns: 300 },
    );
  });
});

describe("alias bombs", () => {
  /** `l0` holds `base` scalars; each next level refers to the one below `width` times. */
  const bomb = fc.record({
    base: fc.integer({ min: 1, max: 20 }),
    levels: fc.integer({ min: 1, max: 8 }),
    width: fc.integer({ min: 1, max: 12 }),
    flow: fc.boolean(),
    aliases: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
  });
  const bombText = ({ base, levels, width, flow }: { base: number; levels: number; width: number; flow: boolean }) => {
    const list = (items: string[]) => (flow ? ` [${items.join(", ")}]` : `\n${items.map((i) => `  - ${i}`).join("\n")}`);
    const lines = [`l0: &l0${list(Array.from({ length: base }, (_, i) => `x${i}`))}`];
    for (let level = 1; level <= levels; level++) lines.push(`l${level}: &l${level}${list(Array(width).fill(`*l${level - 1}`))}`);
    return `${lines.join("\n")}\n`;
  };

  it("expand within the alias cap or are refused with YamlError, never beyond the work bound", () => {
    let refused = 0;
    fc.assert(
      fc.property(bomb, (shape) => {
        if (one(bombText(shape), shape.aliases) !== "parsed") refused++;
      }),
      { numRuns: 200 },
    );
    // The generator does reach the cap: a test whose bombs all fit would prove nothing.
    expect(refused).toBeGreaterThan(20);
  });

  it("refuse the classic billion laughs with the default cap, in a single document and in a stream", () => {
    const laughs = bombText({ base: 10, levels: 9, width: 10, flow: true });
    expect(one(laughs)).toBeInstanceOf(YamlError);
    expect(stream(`a: 1\n---\n${laughs}`)).toBeInstanceOf(YamlError);
  });
});

describe("deep nesting", () => {
  const OPENERS = {
    flowSequence: { open: "[", close: "]" },
    flowMapping: { open: "{a: ", close: "}" },
    blockSequence: { open: "- ", close: "" },
    explicitKey: { open: "? ", close: "" },
    compactMapping: { open: "a: ", close: "" },
  } as const;
  // What comes before the nesting must not blind the pre-scan: an apostrophe in a plain scalar, an
  // escaped backslash before a closing quote, a quote in a comment or in a block scalar.
  const PREFIXES = ["", "note: don't\n", 'path: "C:\\\\"\n', "# it's \"quoted\n", "run: |\n  echo \"it's\n", "a: 'x''y'\n"];

  it("deeper than MAX_NESTING is refused by the linear pre-scan, whatever comes before it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(OPENERS) as (keyof typeof OPENERS)[])),
        fc.constantFrom(...PREFIXES),
        fc.integer({ min: 1, max: 3 * MAX_NESTING }),
        fc.boolean(),
        (kind, prefix, depth, closed) => {
          const { open, close } = OPENERS[kind];
          const text = `${prefix}b: ${open.repeat(depth)}x${closed ? close.repeat(depth) : ""}\n`;
          const outcome = one(text);
          if (depth > MAX_NESTING) {
            expect(outcome).toBeInstanceOf(YamlError);
            expect((outcome as YamlError).message).toMatch(new RegExp(`nested deeper than ${MAX_NESTING} levels`));
            expect((outcome as YamlError).line).toBe(lineCountOf(prefix));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses a 2 MB bracket tower after a plain apostrophe without building it", () => {
    const text = `note: don't\nb: ${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}\n`;
    expect((one(text) as YamlError).message).toMatch(/line 2: nested deeper than/);
  });

  it("accepts flow mappings with many keys on one line: `:` inside a flow collection nests nothing", () => {
    const wide = `a: {${Array.from({ length: 3 * MAX_NESTING }, (_, i) => `k${i}: ${i}`).join(", ")}}\n`;
    expect(Object.keys((parseYaml(wide).value as { a: object }).a)).toHaveLength(3 * MAX_NESTING);
  });
});

describe("duplicate keys", () => {
  const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);

  it("are refused at the second occurrence's line, at any depth, in block and flow mappings", () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 2, maxLength: 12 }), fc.nat(), fc.integer({ min: 0, max: 6 }), fc.boolean(), (keys, pick, depth, flow) => {
        const duplicate = keys[pick % keys.length]!;
        const all = [...keys, duplicate];
        const indent = "  ".repeat(depth);
        const nest = Array.from({ length: depth }, (_, d) => `${"  ".repeat(d)}level${d}:\n`).join("");
        const text = flow
          ? `${nest}${indent}m: {${all.map((k, i) => `${k}: ${i}`).join(",\n" + indent + "  ")}}\n`
          : `${nest}${all.map((k, i) => `${indent}${k}: ${i}`).join("\n")}\n`;
        const error = one(text);
        expect(error).toBeInstanceOf(YamlError);
        expect((error as YamlError).message).toMatch(/^duplicate key/);
        expect((error as YamlError).line).toBe(depth + all.length);
        expect(() => parseYaml(text, { uniqueKeys: false })).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });
});
