/**
 * The repository's own rules from `checks.policy`: `forbidden` and `sensitive` path globs, and
 * pattern rules over the lines a change adds or over whole files (`must_match`, `must_not_match`).
 * Patterns come from repository config, so they are untrusted: compiled with RE2 (linear time) and
 * run under a time budget per file. Only what the change brings is judged: added lines for
 * `pattern`, and the whole-file conditions only where the change broke them (a file that already
 * lacked its licence header at base is not this change's finding).
 */
import { addedLineView } from "../../core/added-line-view.js";
import { createPathMatcher } from "../../core/paths.js";
import type { CheckContext, ChangedFile, FindingDraft, RuleMeta } from "../../core/types.js";
import { compileUntrustedPattern } from "../../core/untrusted-pattern.js";
import type { CustomRule, PolicyOptions } from "./options.js";
import { trustedMarkdown } from "../../core/trusted-markdown.js";

export const CUSTOM_RULE_METAS: readonly RuleMeta[] = [
  {
    id: "forbidden-path",
    title: "Forbidden file",
    description: "A file the repository's `checks.policy.forbidden` rules do not allow.",
    severity: "high",
    risk: trustedMarkdown("This repository's own policy (`checks.policy.forbidden`) does not allow such a file; the rule's message says why."),
    fix: trustedMarkdown("Remove the file from the change, or change the rule in `.github/pr-sentinel.yml` on the default branch if it should be allowed."),
  },
  {
    id: "sensitive-path",
    title: "Sensitive file changed",
    description: "A file the repository's `checks.policy.sensitive` rules mark for a second look.",
    severity: "medium",
    risk: trustedMarkdown("This repository marks the file as sensitive (`checks.policy.sensitive`): a change to it can weaken the project's security without touching any code."),
    fix: trustedMarkdown("Ask an owner of the file to review the change before it merges."),
  },
  { id: "custom", title: "Custom policy rule", description: "Rules from `checks.policy.rules`; each finding's rule id is `custom-<id>`.", severity: "medium" },
];

/** Longest a custom rule may take on one file; past it, the rest of the file is not judged by it and the check says so. */
const BUDGET_MS = 250;

export async function customRuleFindings(ctx: CheckContext<PolicyOptions>, incomplete: string[]): Promise<FindingDraft[]> {
  const { forbidden, sensitive, rules } = ctx.options;
  if (forbidden.length === 0 && sensitive.length === 0 && rules.length === 0) return [];
  const findings: FindingDraft[] = [];
  const pathRules = [
    ...forbidden.map((r) => ({ ...r, ruleId: "forbidden-path", matches: createPathMatcher(r.paths) })),
    ...sensitive.map((r) => ({ ...r, ruleId: "sensitive-path", matches: createPathMatcher(r.paths) })),
  ];
  const compiled = rules.map((rule) => compileRule(rule));
  for (const file of ctx.files) {
    if (file.status === "removed") continue;
    for (const rule of pathRules) {
      if (!rule.matches(file.path)) continue;
      findings.push({ ruleId: rule.ruleId, path: file.path, startLine: 1, message: rule.message, severity: rule.severity, fingerprintKey: `${rule.ruleId}:${rule.message}` });
    }
    for (const rule of compiled) {
      if (!rule.matches(file.path)) continue;
      findings.push(...(await judgeFile(rule, file, incomplete)));
    }
  }
  return findings;
}

interface CompiledCustomRule {
  readonly rule: CustomRule;
  readonly matches: (path: string) => boolean;
  readonly pattern?: ReturnType<typeof compileUntrustedPattern>;
  readonly mustMatch?: ReturnType<typeof compileUntrustedPattern>;
  readonly mustNotMatch?: ReturnType<typeof compileUntrustedPattern>;
}

function compileRule(rule: CustomRule): CompiledCustomRule {
  return {
    rule,
    matches: createPathMatcher(rule.paths),
    ...(rule.pattern ? { pattern: compileUntrustedPattern(rule.pattern) } : {}),
    ...(rule.must_match ? { mustMatch: compileUntrustedPattern(rule.must_match, "m") } : {}),
    ...(rule.must_not_match ? { mustNotMatch: compileUntrustedPattern(rule.must_not_match, "m") } : {}),
  };
}

async function judgeFile(compiled: CompiledCustomRule, file: ChangedFile, incomplete: string[]): Promise<FindingDraft[]> {
  const { rule } = compiled;
  const ruleId = `custom-${rule.id}`;
  const findings: FindingDraft[] = [];
  const draft = (line: number, key: string): FindingDraft => ({ ruleId, path: file.path, startLine: line, message: rule.message, severity: rule.severity, fingerprintKey: `${ruleId}:${key}` });
  if (compiled.pattern) {
    const view = addedLineView(file);
    const started = performance.now();
    for (let i = 0; i < view.count; i++) {
      const text = view.lineText(i);
      if (compiled.pattern.test(text)) findings.push(draft(view.lineNumber(i), text.trim()));
      if (performance.now() - started > BUDGET_MS) {
        incomplete.push(`${file.path}: custom rule ${rule.id} stopped after ${BUDGET_MS} ms, at line ${view.lineNumber(i)}`);
        break;
      }
    }
  }
  if (compiled.mustMatch || compiled.mustNotMatch) {
    const head = await file.readHead().catch(() => null);
    if (head === null) return findings;
    const base = file.status === "added" ? null : await file.readBase().catch(() => null);
    if (compiled.mustMatch && !compiled.mustMatch.test(head) && (base === null || compiled.mustMatch.test(base))) {
      findings.push(draft(1, "must_match"));
    }
    if (compiled.mustNotMatch) {
      const match = compiled.mustNotMatch.exec(head);
      if (match && (base === null || !compiled.mustNotMatch.test(base))) findings.push(draft(lineAt(head, match.index), "must_not_match"));
    }
  }
  return findings;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
