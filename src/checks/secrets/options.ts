import { z } from "zod";
import { pathGlobSchema, severitySchema } from "../../core/config/schema.js";
import { customRulesSchema } from "./custom-rules.js";
import type { SecretRule } from "./rule.js";
import { DEFAULT_TEST_PATHS } from "./test-paths.js";

export const DEFAULT_MAX_LINE_LENGTH = 4096;
export const DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024;

/** The secrets check's options under `checks.secrets`; every key has a default. */
export function secretsOptionsSchema(rules: readonly SecretRule[]) {
  const ruleIds = new Set(rules.map((r) => r.id));
  return z.object({
    /**
     * Entropy floors (bits per character, 0 to 8) by rule id, replacing the rule's own; `"*"` for
     * every rule that has one. Raise a floor to quieten a noisy generic rule.
     */
    entropy: z
      .record(z.string().min(1), z.number().min(0).max(8))
      .default({})
      .describe('Entropy floors (bits per character) by rule id, replacing the rule\'s own; "*" for every rule that has one.')
      .superRefine((entries, ctx) => {
        for (const id of Object.keys(entries)) {
          if (id !== "*" && !ruleIds.has(id)) {
            ctx.addIssue({
              code: "custom",
              path: [id],
              message: `no secrets rule has the id "${id}"; use a rule id from docs/checks/secrets.md or "*"`,
            });
          }
        }
      }),
    /** Test and fixture paths: findings there get `test_severity` instead of the rule's severity. */
    test_paths: z
      .array(pathGlobSchema)
      .max(500)
      .default([...DEFAULT_TEST_PATHS])
      .describe("Globs of test and fixture paths (matched like paths.ignore); findings there get test_severity."),
    test_severity: severitySchema.default("low").describe("Highest severity of a finding in a test path or an API description's examples; never dropped."),
    custom_rules: customRulesSchema.describe("Your own secret rules; patterns are RE2 (linear time)."),
    /** Lines longer than this (minified bundles, data URIs) are scanned only by vendor-prefixed rules. */
    max_line_length: z
      .number()
      .int()
      .min(200)
      .max(1_000_000)
      .default(DEFAULT_MAX_LINE_LENGTH)
      .describe("Lines longer than this (minified code, data URIs) are scanned only by vendor-prefixed rules."),
    /** Added text per file beyond this is not scanned, and the check says so. */
    max_file_bytes: z
      .number()
      .int()
      .min(1024)
      .max(512 * 1024 * 1024)
      .default(DEFAULT_MAX_FILE_BYTES)
      .describe("Added text per file that is scanned; beyond it the check warns."),
  });
}

export type SecretsOptions = z.infer<ReturnType<typeof secretsOptionsSchema>>;
