/**
 * The one schema of `.github/pr-sentinel.yml`. It is built from the check registry so that each
 * check's options sit next to its common keys (`checks.secrets.enabled`, `checks.secrets.entropy`)
 * and unknown keys anywhere are errors. Every key has a default: no config still gives useful
 * results. Descriptions here become the JSON Schema's (editors show them) and the reference in
 * docs/configuration.md, so they are written for the person editing the file.
 *
 * Note for zod 4: `.default(x)` returns `x` without parsing it, `.prefault(x)` parses it, so nested
 * objects use `.prefault({})` to get their inner defaults filled in.
 */
import { scoreConfigSchema, type ScoreConfig } from "../../posture/score-config.js";
import { z } from "zod";
import { globProblem } from "../paths.js";
import { SEVERITIES, type Check } from "../types.js";

export const severitySchema = z.enum(SEVERITIES);
export const failOnSchema = z.enum([...SEVERITIES, "never"]);
export const onErrorSchema = z.enum(["neutral", "fail"]);

/** Bounds on `paths.ignore`: globs come from repositories, and each one is compiled and matched per file. */
export const MAX_IGNORE_GLOBS = 500;
export const MAX_GLOB_LENGTH = 300;

export const allowlistEntrySchema = z
  .strictObject({
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{12,64}$/, "expected the finding's fingerprint: 12 to 64 lowercase hex characters")
      .describe("The finding's fingerprint (shown in every report), or a prefix of it of at least 12 characters."),
    reason: z.string().trim().min(1, "say why this finding is allowed").describe("Why this finding is allowed; shown to reviewers."),
    expires: z.iso
      .date("expected a real date as YYYY-MM-DD, e.g. 2030-01-31")
      .optional()
      .describe("Last day (YYYY-MM-DD, UTC) the entry applies; after it the finding is reported again and the summary lists the expired entry."),
  })
  .describe("A finding that is allowed: matched by fingerprint, with a reason and an optional expiry date.");

export const reviewSchema = z.strictObject({
  comments: z.boolean().default(true).describe("Post inline review comments (independent of whether the check run fails)."),
  event: z
    .enum(["COMMENT", "REQUEST_CHANGES"])
    .default("COMMENT")
    .describe("The review's event. `REQUEST_CHANGES` blocks merging where reviews are required, and stays until dismissed."),
  max_inline_comments: z.number().int().min(0).max(100).default(25).describe("Most inline comments per review; the rest go to the summary."),
  min_inline_confidence: z
    .enum(["high", "medium", "low"])
    .default("medium")
    .describe("Only findings of at least this confidence get an inline comment; the rest go to the summary."),
  summary_comment: z
    .enum(["on_findings", "always", "never"])
    .default("on_findings")
    .describe("When to post the summary as a pull request comment (the check run always has it)."),
  include_drafts: z.boolean().default(false).describe("Scan draft pull requests too."),
});

/** A path glob from repository config (`paths.ignore`, a check's path options): bounded and linear-time. */
export const pathGlobSchema = z
  .string()
  .min(1)
  .max(MAX_GLOB_LENGTH)
  .refine((glob) => !glob.startsWith("!"), "negated globs (`!…`) are not supported; list only the paths you mean")
  .superRefine((glob, ctx) => {
    const problem = globProblem(glob);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A file in the repository, from its root: no absolute path, no `..`, no backslashes. */
export const baselinePathSchema = z
  .string()
  .min(1)
  .max(MAX_GLOB_LENGTH)
  .refine(
    (path) => !path.startsWith("/") && !path.includes("\\") && !path.split("/").some((part) => part === ".." || part === "." || part === "") && ![...path].some((c) => c < " "),
    "expected a path from the repository root, like `.github/pr-sentinel-baseline.yml` (no leading `/`, no `.` or `..` parts)",
  );

/** Rule ids a check's `severity` map accepts: `"*"`, each local rule id and each full one. */
function severityKeys(check: Check): [string, ...string[]] {
  return ["*", ...check.meta.rules.flatMap((r) => [r.id, `${check.meta.id}/${r.id}`])];
}

function checkEntrySchema(check: Check) {
  const common = {
    enabled: z.boolean().default(true).describe("Run this check."),
    severity: z
      .partialRecord(z.enum(severityKeys(check)), severitySchema)
      .default({})
      .describe(
        'Severity overrides by rule id (local `rule-id` or full `check/rule-id`); `"*"` sets every rule of the check. A rule\'s own key wins over `"*"`.',
      ),
    timeout_seconds: z.number().positive().max(600).default(60).describe("Longest the check may run, in seconds; past it the check is reported as an error."),
    paths: z
      .strictObject({
        include: z
          .array(pathGlobSchema)
          .max(MAX_IGNORE_GLOBS)
          .default([])
          .describe("Globs of the files this check looks at (empty: every file). Same glob rules as `paths.ignore`."),
        ignore: z
          .array(pathGlobSchema)
          .max(MAX_IGNORE_GLOBS)
          .default([])
          .describe("Globs of files this check does not look at, on top of the global `paths.ignore`; other checks still do."),
      })
      .prefault({})
      .describe("Which files this check looks at, beside the global `paths.ignore`."),
  };
  return z
    .strictObject({ ...common, ...check.optionsSchema.shape })
    .prefault({})
    .describe(`${check.meta.title}: ${check.meta.description}`);
}

export function buildConfigSchema(checks: readonly Check[]) {
  const checkEntries: Record<string, z.ZodType> = {};
  for (const check of checks) checkEntries[check.meta.id] = checkEntrySchema(check);
  return z.strictObject({
    _extends: z
      .string()
      .optional()
      .describe("Inherit from another repository's config (`org/.github`); read by the GitHub App, ignored by the CLI."),
    fail_on: failOnSchema
      .default("high")
      .describe("The check run fails (and the CLI exits 1) when a finding has at least this severity; `never` only reports."),
    on_error: onErrorSchema
      .default("neutral")
      .describe("What a check that could not run means for the verdict: `neutral` (not checked, not failed) or `fail`."),
    paths: z
      .strictObject({
        ignore: z
          .array(pathGlobSchema)
          .max(MAX_IGNORE_GLOBS)
          .default([])
          .describe(
            "Globs of files no check looks at. Without a `/` a glob matches a file or folder name anywhere (`*.min.js`, `vendor`); with one it matches from the repository root (`test/fixtures/`, `docs/**/*.md`). Ignored files are counted in every report.",
          ),
      })
      .prefault({})
      .describe("Which files are scanned."),
    allowlist: z.array(allowlistEntrySchema).max(1000).default([]).describe("Findings that are allowed, by fingerprint."),
    baseline: baselinePathSchema
      .optional()
      .describe(
        "A baseline file written by `pr-sentinel baseline` (path from the repository root, e.g. `.github/pr-sentinel-baseline.yml`): the findings it lists no longer fail a scan and are counted as baselined; new ones do. Read from the same commit as this config (the base of a change).",
      ),
    review: reviewSchema.prefault({}).describe("How the GitHub App reviews a pull request (ignored by the CLI)."),
    score: scoreConfigSchema,
    checks: z.strictObject(checkEntries).prefault({}).describe("Per-check settings: `enabled`, `severity` overrides, `timeout_seconds` and the check's own options."),
  });
}

export type ConfigSchema = ReturnType<typeof buildConfigSchema>;

/** The validated config. Per-check entries are typed loosely here; each check re-reads its own options. */
export interface PrSentinelConfig {
  readonly fail_on: z.infer<typeof failOnSchema>;
  readonly on_error: z.infer<typeof onErrorSchema>;
  readonly paths: { readonly ignore: readonly string[] };
  readonly allowlist: readonly z.infer<typeof allowlistEntrySchema>[];
  /** Path of the baseline file in the repository, when there is one. */
  readonly baseline?: string;
  readonly review: z.infer<typeof reviewSchema>;
  /** The risk score's weights (information only; never the verdict). */
  readonly score: ScoreConfig;
  readonly checks: Readonly<Record<string, CheckConfig>>;
}

export interface CheckConfig {
  readonly enabled: boolean;
  readonly severity: Readonly<Record<string, z.infer<typeof severitySchema>>>;
  readonly timeout_seconds: number;
  readonly paths?: { readonly include: readonly string[]; readonly ignore: readonly string[] };
  readonly [option: string]: unknown;
}
