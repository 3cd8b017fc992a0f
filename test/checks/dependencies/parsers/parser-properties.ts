/**
 * What every parser test needs: its fixtures, the DependencyParseError a malformed file must
 * raise, and the property that damaged input (a hostile or truncated lockfile) never crashes a
 * parser any other way nor puts a dependency on a line the file does not have.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { expect } from "vitest";
import { DependencyParseError, type ParsedDependencyFile } from "../../../../src/checks/dependencies/model.js";

/** A fixture from test/fixtures/dependencies/<folder>/. */
export function fixture(folder: string, name: string): string {
  return readFileSync(new URL(`../../../fixtures/dependencies/${folder}/${name}`, import.meta.url), "utf8");
}

/** `fixture` bound to one format's folder. */
export function fixturesIn(folder: string): (name: string) => string {
  return (name) => fixture(folder, name);
}

/** The DependencyParseError `run` throws; fails the test when it throws nothing or something else. */
export function parseErrorOf(run: () => unknown, expectation = "expected a DependencyParseError"): DependencyParseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DependencyParseError);
    return error as DependencyParseError;
  }
  throw new Error(expectation);
}

/** `parseErrorOf` for a one-argument parser: `const parseError = parseErrorFrom(parse)`. */
export function parseErrorFrom(parse: (text: string) => unknown): (text: string) => DependencyParseError {
  return (text) => parseErrorOf(() => parse(text));
}

// Characters that open, close or separate something in one of the formats, plus NUL and a BOM.
const DAMAGE = fc.string({ unit: fc.constantFrom(..."\n\r \t\"'`[](){}<>=#/\\:,.-!$&;v0\u0000\ufeff"), maxLength: 30 });

/**
 * Cuts up to 20 characters somewhere in one of `texts` and inserts up to 30 damaging ones there,
 * `numRuns` times: the parser either throws DependencyParseError or returns dependencies whose
 * lines are all inside the damaged file.
 */
export function expectParserSurvivesDamage(parse: (text: string) => ParsedDependencyFile, texts: readonly string[], { numRuns = 1000 } = {}): void {
  fc.assert(
    fc.property(fc.constantFrom(...texts), fc.nat(), fc.nat(20), DAMAGE, (text, at, cut, insert) => {
      const start = at % (text.length + 1);
      const damaged = text.slice(0, start) + insert + text.slice(start + cut);
      try {
        const lineCount = damaged.split(/\r\n|\r|\n/).length;
        for (const { line } of parse(damaged).dependencies) {
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(lineCount);
        }
      } catch (error) {
        if (!(error instanceof DependencyParseError)) throw error;
      }
    }),
    { numRuns },
  );
}
