/**
 * ESLint's RuleTester, for any check: each rule's `valid` samples must give no finding of that rule,
 * and each `invalid` sample exactly the listed lines (rule id and line are asserted, never message
 * wording). Samples run through the real engine, as added files (or changed ones, with `base`), so
 * suppressions, path filters and draft validation apply as in a scan.
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import { configFromObject } from "../../src/core/config/load-config.js";
import { runScan } from "../../src/core/engine.js";
import type { Check, Services } from "../../src/core/types.js";
import { fileChange } from "../checks/dependencies/harness.js";

export interface RuleSample {
  readonly path: string;
  readonly text: string;
  /** The file at base; default: the file is added. */
  readonly base?: string | null;
  /** Invalid samples: the lines the rule must report, and no others. */
  readonly lines?: readonly number[];
  /** The check's options for this sample. */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly name?: string;
}

export interface RuleCases {
  /** The rule's local id (without the check's prefix). */
  readonly ruleId: string;
  readonly valid: readonly RuleSample[];
  readonly invalid: readonly RuleSample[];
}

export async function linesReported(check: Check, ruleId: string, sample: RuleSample, services: Services = {}): Promise<{ lines: number[]; problems: string[] }> {
  const file = fileChange(sample.path, sample.base ?? null, sample.text);
  const config = configFromObject({ checks: { [check.meta.id]: { ...sample.options } } }, "rule-tester", [check]);
  const result = await runScan({ files: [file], checks: [check], config, logger: pino({ level: "silent" }), services, offline: true });
  const problems = result.outcomes.filter((o) => o.status === "error").map((o) => o.message ?? "error");
  const lines = result.findings.filter((f) => f.ruleId === `${check.meta.id}/${ruleId}`).map((f) => f.startLine).sort((a, b) => a - b);
  return { lines, problems };
}

/** Declares one vitest `describe` per rule, one `it` per sample. */
export function testRules(check: Check, cases: readonly RuleCases[], services: Services = {}): void {
  it(`${check.meta.id}: has rules to test`, () => expect(cases.length).toBeGreaterThan(0));
  for (const rule of cases) {
    describe(`${check.meta.id}/${rule.ruleId}`, () => {
      it("has at least one valid and one invalid sample", () => {
        expect(rule.valid.length).toBeGreaterThan(0);
        expect(rule.invalid.length).toBeGreaterThan(0);
      });
      rule.valid.forEach((sample, i) => {
        it(`valid #${i + 1}${sample.name ? `: ${sample.name}` : ""} gives no finding`, async () => {
          const { lines, problems } = await linesReported(check, rule.ruleId, sample, services);
          expect(problems, "the check could not judge the sample").toEqual([]);
          expect(lines, sample.text.slice(0, 400)).toEqual([]);
        });
      });
      rule.invalid.forEach((sample, i) => {
        it(`invalid #${i + 1}${sample.name ? `: ${sample.name}` : ""} is reported on lines ${sample.lines?.join(", ")}`, async () => {
          // An invalid sample that lists no line would pass on a rule that reports nothing.
          expect(sample.lines ?? [], "an invalid sample lists the lines it must be reported on").not.toEqual([]);
          const { lines, problems } = await linesReported(check, rule.ruleId, sample, services);
          expect(problems, "the check could not judge the sample").toEqual([]);
          expect(lines, sample.text.slice(0, 400)).toEqual([...(sample.lines ?? [])].sort((a, b) => a - b));
        });
      });
    });
  }
}
