/**
 * The scanner has two prefilter paths: per line (arrays of added lines: tests, the GitHub source)
 * and one pass over a file's packed text (the git source). They must find exactly the same.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSecretRule } from "../../../src/checks/secrets/compiled-rule.js";
import { secretRules } from "../../../src/checks/secrets/rules/index.js";
import { SecretScanner, type SecretMatch } from "../../../src/checks/secrets/scanner.js";
import { PackedAddedLinesBuilder } from "../../../src/core/diff/packed-added-lines.js";
import type { AddedLine } from "../../../src/core/types.js";

const scanner = new SecretScanner(
  secretRules.map((rule) => compileSecretRule(rule)),
  { maxLineLength: 4096, customRuleBudgetMs: 1000 },
);

/** Every sample line of every rule, split on its own line breaks (multiline samples stay adjacent). */
const sampleLines = secretRules.flatMap((rule) => [...rule.samples.positives, ...rule.samples.negatives]).flatMap((s) => s.split("\n"));

function pack(lines: readonly AddedLine[]) {
  const builder = new PackedAddedLinesBuilder();
  for (const l of lines) builder.add(l.line, l.text);
  return builder.build();
}

const summary = (matches: readonly SecretMatch[]) =>
  matches.map((m) => `${m.rule.id}:${m.startLine}-${m.endLine}:${m.secret.length}`).sort();

describe("scanner over packed lines", () => {
  it("finds the same as over line objects, on every rule sample in one file", () => {
    const lines = sampleLines.map((text, i) => ({ line: i + 1, text }));
    const overArray = scanner.scan(lines);
    expect(overArray.matches.length).toBeGreaterThan(100);
    expect(summary(scanner.scan(pack(lines)).matches)).toEqual(summary(overArray.matches));
  });

  it("finds the same when the file holds text beyond Latin-1 (stored as UTF-8 bytes)", () => {
    const lines = ["// données: 数据", ...sampleLines].map((text, i) => ({ line: i + 1, text }));
    expect(summary(scanner.scan(pack(lines)).matches)).toEqual(summary(scanner.scan(lines).matches));
  });

  it("finds the same for random picks of sample lines with gaps in the numbering", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(sampleLines.length - 1), fc.integer({ min: 1, max: 3 })), { maxLength: 60 }),
        (picks) => {
          let line = 0;
          const lines = picks.map(([index, gap]) => ({ line: (line += gap), text: sampleLines[index]! }));
          expect(summary(scanner.scan(pack(lines)).matches)).toEqual(summary(scanner.scan(lines).matches));
        },
      ),
      { numRuns: 200 },
    );
  });
});
