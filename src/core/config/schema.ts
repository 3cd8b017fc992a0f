/**
 * The one schema of `.github/pr-sentinel.yml`. It is built from the check registry so that each
 * check's options sit next to its common keys (`checks.secrets.enabled`, `checks.secrets.entropy`)
 * and unknown keys anywhere are errors. Every key has a default: no config still gives useful results.
 *
 * Note for zod 4: `.default(x)` returns `x` without parsing it, `.prefault(x)` parses it, so nested
 * objects use `.prefault({})` to get their inner defaults filled in.
 */
import { z } from "zod";
import { SEVERITIES, type Check } from "../types.js";

export const severitySchema = z.enum(SEVERITIES);
export const failOnSchema = z.enum([...SEVERITIES, "never"]);
export const onErrorSchema = z.enum(["neutral", "fail"]);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "expected a real calendar date");

export const allowlistEntrySchema = z.strictObject({
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{12,64}$/, "expected the finding's fingerprint: 12 to 64 lowercase hex characters"),
  reason: z.string().trim().min(1, "say why this finding is allowed"),
  expires: isoDate.optional(),
});

export const reviewSchema = z.strictObject({
  /** Post inline review comments (independent of whether the check run fails). */
  comments: z.boolean().default(true),
  /** The review's event. `REQUEST_CHANGES` blocks merging where reviews are required. */
  event: z.enum(["COMMENT", "REQUEST_CHANGES"]).default("COMMENT"),
  max_inline_comments: z.number().int().min(0).max(100).default(25),
  /** Only findings of at least this confidence get an inline comment; the rest go to the summary. */
  min_inline_confidence: z.enum(["high", "medium", "low"]).default("medium"),
  summary_comment: z.enum(["on_findings", "always", "never"]).default("on_findings"),
  /** Scan draft pull requests too. */
  include_drafts: z.boolean().default(false),
});

const checkCommonShape = {
  enabled: z.boolean().default(true),
  /** Severity overrides by rule id (`github-classic-pat` or `secrets/github-classic-pat`); `"*"` for every rule of the check. */
  severity: z.record(z.string().min(1), severitySchema).default({}),
  /** Longest the check may run, in seconds. */
  timeout_seconds: z.number().positive().max(600).default(60),
};

export function buildConfigSchema(checks: readonly Check[]) {
  const checkEntries: Record<string, z.ZodType> = {};
  for (const check of checks) {
    checkEntries[check.meta.id] = z
      .strictObject({ ...checkCommonShape, ...check.optionsSchema.shape })
      .prefault({});
  }
  return z.strictObject({
    /** Probot's `context.config` follows and removes it; accepted here so a local copy validates. */
    _extends: z.string().optional(),
    fail_on: failOnSchema.default("high"),
    on_error: onErrorSchema.default("neutral"),
    paths: z
      .strictObject({
        ignore: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    allowlist: z.array(allowlistEntrySchema).default([]),
    review: reviewSchema.prefault({}),
    checks: z.strictObject(checkEntries).prefault({}),
  });
}

export type ConfigSchema = ReturnType<typeof buildConfigSchema>;

/** The validated config. Per-check entries are typed loosely here; each check re-reads its own options. */
export interface PrSentinelConfig {
  readonly fail_on: z.infer<typeof failOnSchema>;
  readonly on_error: z.infer<typeof onErrorSchema>;
  readonly paths: { readonly ignore: readonly string[] };
  readonly allowlist: readonly z.infer<typeof allowlistEntrySchema>[];
  readonly review: z.infer<typeof reviewSchema>;
  readonly checks: Readonly<Record<string, CheckConfig>>;
}

export interface CheckConfig {
  readonly enabled: boolean;
  readonly severity: Readonly<Record<string, z.infer<typeof severitySchema>>>;
  readonly timeout_seconds: number;
  readonly [option: string]: unknown;
}
