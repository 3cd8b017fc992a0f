/**
 * Custom rules come from a repository's config, so their patterns are untrusted input: a pattern
 * such as `(a+)+$` would hang a backtracking engine on one crafted line. They are compiled with RE2
 * (linear time, no backreferences or lookaround), run only on lines up to `max_line_length`, and
 * share a time budget per file (see scanner.ts). An invalid pattern is a config error naming the rule.
 */
import RE2 from "re2";
import { z } from "zod";
import { severitySchema } from "../../core/config/schema.js";
import { patternError } from "../../core/untrusted-pattern.js";
import type { Candidate, CompiledRule } from "./compiled-rule.js";

const MAX_PATTERN_CHARS = 1000;

export const customRuleSchema = z.strictObject({
  /** kebab-case; the finding's rule id is `secrets/custom-<id>`. */
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "expected a kebab-case id such as `acme-api-key`")
    .describe("kebab-case; findings get the rule id secrets/custom-<id>."),
  /** RE2 syntax. A named group `secret` marks the credential inside the match. */
  pattern: z
    .string()
    .min(1)
    .max(MAX_PATTERN_CHARS)
    .describe("RE2 syntax; a named group `secret` marks the credential inside the match."),
  /** Literals, one of which appears in every match: the rule runs only on lines containing one. */
  keywords: z
    .array(
      z
        .string()
        .min(3, "a keyword needs at least 3 characters, or it matches nearly every line")
        .regex(/^[\x20-\x7e]+$/, "keywords must be printable ASCII"),
    )
    .min(1, "give at least one keyword: the rule runs only on lines that contain one")
    .max(20)
    .describe("Literals (3+ characters, case-insensitive), one of which appears in every match."),
  severity: severitySchema.default("high").describe("Severity of its findings."),
  message: z.string().trim().min(1).max(200).describe("The finding's message, e.g. the credential's name."),
  min_entropy: z.number().min(0).max(8).optional().describe("Minimum Shannon entropy of the secret, bits per character."),
});

export type CustomRuleConfig = z.infer<typeof customRuleSchema>;


export const customRulesSchema = z
  .array(customRuleSchema)
  .max(100)
  .default([])
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      const error = patternError(rule.pattern);
      if (error) {
        ctx.addIssue({
          code: "custom",
          path: [i, "pattern"],
          message: `custom rule "${rule.id}": the pattern is not valid RE2 syntax (${error}); RE2 has no backreferences or lookaround`,
        });
      }
      if (seen.has(rule.id)) {
        ctx.addIssue({ code: "custom", path: [i, "id"], message: `custom rule "${rule.id}" is defined twice` });
      }
      seen.add(rule.id);
    });
  });

export const CUSTOM_RULE_PREFIX = "custom-";

export function compileCustomRule(rule: CustomRuleConfig): CompiledRule {
  const regex = new RE2(rule.pattern, "gu");
  return {
    id: `${CUSTOM_RULE_PREFIX}${rule.id}`,
    provider: "custom",
    title: rule.message,
    severity: rule.severity,
    confidence: "medium",
    keywords: rule.keywords.map((k) => k.toLowerCase()),
    multiline: false,
    strong: false,
    custom: true,
    minEntropy: rule.min_entropy,
    allow: [],
    message: rule.message,
    find(text: string): Candidate[] {
      const found: Candidate[] = [];
      regex.lastIndex = 0;
      for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
        if (match[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        const secret = match.groups?.secret ?? match[0];
        if (secret) found.push({ secret, index: match.index + Math.max(0, match[0].indexOf(secret)) });
      }
      return found;
    },
  };
}
