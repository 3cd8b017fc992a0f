/** The policy check's options under `checks.policy`; every key has a default. */
import { z } from "zod";
import { pathGlobSchema, severitySchema } from "../../core/config/schema.js";
import { patternError } from "../../core/untrusted-pattern.js";

export const pinPolicySchema = z.enum(["hash", "ref", "any"]);

const patternSchema = z
  .string()
  .min(1)
  .max(1000)
  .superRefine((pattern, ctx) => {
    const problem = patternError(pattern);
    if (problem) ctx.addIssue({ code: "custom", message: `not a valid RE2 pattern: ${problem}` });
  });

const pathRuleSchema = z.strictObject({
  paths: z.array(pathGlobSchema).min(1).max(100).describe("Globs of the files this applies to."),
  message: z.string().trim().min(1).max(500).describe("What the reviewer is told."),
  severity: severitySchema.default("high").describe("Severity of the finding."),
});

const customRuleSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "expected a kebab-case id such as no-eval")
    .max(60)
    .describe("Kebab-case id; the finding's rule id is `custom-<id>`."),
  paths: z.array(pathGlobSchema).min(1).max(100).describe("Globs of the files the rule reads."),
  pattern: patternSchema.optional().describe("RE2 pattern matched against each line the change adds; each match is a finding."),
  must_match: patternSchema.optional().describe("RE2 pattern an added or changed file must contain somewhere (e.g. a licence header)."),
  must_not_match: patternSchema.optional().describe("RE2 pattern an added or changed file must not contain anywhere."),
  message: z.string().trim().min(1).max(500).describe("What the reviewer is told."),
  severity: severitySchema.default("medium").describe("Severity of the findings."),
});

export const policyOptionsSchema = z.object({
  pins: z
    .record(z.string().min(1).max(200), pinPolicySchema)
    .default({})
    .describe(
      'How `uses:` must be pinned, by owner or `owner/repo` pattern (`*` wildcards): `hash` (a full commit SHA), `ref` (any tag or branch), `any`. The most specific pattern wins; defaults: `actions/*` and `github/*` `ref`, everything else `hash`.',
    ),
  disable: z.array(z.string().min(1).max(80)).max(200).default([]).describe("Audit ids that do not run."),
  max_file_bytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(10 * 1024 * 1024)
    .describe("Added files larger than this are reported (`large-file`)."),
  forbidden: z.array(pathRuleSchema).max(200).default([]).describe("Files that must not be added or changed, with the message to show."),
  sensitive: z.array(pathRuleSchema).max(200).default([]).describe("Files whose changes need a second look, reported with the message to show."),
  rules: z.array(customRuleSchema).max(200).default([]).describe("Custom rules: a pattern over added lines and/or whole-file conditions, in files matching globs."),
});

export type PolicyOptions = z.infer<typeof policyOptionsSchema>;
export type CustomRule = z.infer<typeof customRuleSchema>;
