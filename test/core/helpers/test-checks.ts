/** Small checks for engine and reporter tests: metadata filled in, `run` given by the test. */
import { pino } from "pino";
import { z } from "zod";
import { configFromObject } from "../../../src/core/config/load-config.js";
import type { PrSentinelConfig } from "../../../src/core/config/schema.js";
import { defineCheck, type Check, type CheckContext, type CheckMeta, type CheckRunResult, type FindingDraft } from "../../../src/core/types.js";

export const silentLogger = pino({ level: "silent" });

type Run = (context: CheckContext<Record<string, unknown>>) => Promise<CheckRunResult | readonly FindingDraft[]>;

export function testCheck(id: string, run: Run, meta: Partial<CheckMeta> = {}): Check {
  return defineCheck({
    meta: {
      id,
      title: `Test check ${id}`,
      description: "A check that exists only in tests.",
      defaultSeverity: "medium",
      tags: ["test"],
      rules: [
        { id: "rule-a", title: "Rule A", severity: "high" },
        { id: "rule-b", title: "Rule B", severity: "low" },
      ],
      ...meta,
    },
    optionsSchema: z.object({ marker: z.string().default("SECRET") }),
    run: run as Check["run"],
  });
}

/** A check that reports `rule-a` on every added line containing its `marker` option. */
export function markerCheck(id = "marker", meta: Partial<CheckMeta> = {}): Check {
  return testCheck(
    id,
    async ({ files, options }) =>
      files.flatMap((file) =>
        file.addedLines
          .filter((l) => l.text.includes(String(options.marker)))
          .map((l) => ({ ruleId: "rule-a", path: file.path, startLine: l.line, message: "marker found", evidence: "SEC…(6 chars)" })),
      ),
    meta,
  );
}

export function configFor(checks: readonly Check[], value: Record<string, unknown> = {}): PrSentinelConfig {
  return configFromObject(value, "test config", checks);
}
