/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`). GitHub reads
 * `partialFingerprints` to follow an alert across pushes, `properties.security-severity` (a number
 * as a string) on rules to rank alerts, and `level` for the plain severity. Checks that could not
 * run go into `invocations[].toolExecutionNotifications`, so "not checked" never looks clean.
 * Nothing but the already-redacted `evidence` of a finding is copied from what was found.
 */
import type { Finding, ScanResult, Severity } from "../core/types.js";
import { DOCS_BASE_URL } from "../core/docs-url.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "prSentinel/v1";
const INFORMATION_URI = DOCS_BASE_URL.replace(/\/blob\/main\/docs$/, "");

export interface SarifReportOptions {
  readonly toolVersion: string;
}

type SarifLevel = "error" | "warning" | "note";

const LEVEL: Record<Severity, SarifLevel> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

/** GitHub maps > 9.0 to critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  help?: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; "security-severity": string; severity: Severity; checkId: string };
}

export function toSarifLog(result: ScanResult, options: SarifReportOptions) {
  const rules: SarifRule[] = [];
  const indexById = new Map<string, number>();
  const addRule = (rule: SarifRule) => {
    indexById.set(rule.id, rules.length);
    rules.push(rule);
  };
  for (const r of result.rules) {
    if (indexById.has(r.id)) continue;
    addRule({
      id: r.id,
      name: ruleName(r.id),
      shortDescription: { text: r.title },
      ...(r.description ? { fullDescription: { text: r.description } } : {}),
      // Code scanning shows `help` beside each alert: the rule's own words, trusted Markdown.
      ...(r.risk || r.fix
        ? {
            help: {
              text: [r.risk?.markdown, r.fix ? `Fix: ${r.fix.markdown}` : undefined].filter(Boolean).join("\n\n"),
              markdown: [r.risk ? `**Why it matters:** ${r.risk.markdown}` : undefined, r.fix ? `**Fix:** ${r.fix.markdown}` : undefined].filter(Boolean).join("\n\n"),
            },
          }
        : {}),
      helpUri: r.helpUrl,
      defaultConfiguration: { level: LEVEL[r.severity] },
      properties: { tags: ["security", r.checkId], "security-severity": SECURITY_SEVERITY[r.severity], severity: r.severity, checkId: r.checkId },
    });
  }
  // A check may report a rule it did not declare; SARIF needs every ruleIndex to resolve.
  for (const f of result.findings) {
    if (indexById.has(f.ruleId)) continue;
    addRule({
      id: f.ruleId,
      name: ruleName(f.ruleId),
      shortDescription: { text: f.ruleId },
      helpUri: f.helpUrl,
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: { tags: ["security", f.checkId], "security-severity": SECURITY_SEVERITY[f.severity], severity: f.severity, checkId: f.checkId },
    });
  }

  const problems = result.outcomes.filter((o) => o.status === "error" || o.status === "skipped");
  const warnings = result.outcomes.flatMap((o) => o.warnings.map((w) => ({ checkId: o.checkId, text: w })));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0" as const,
    runs: [
      {
        tool: {
          driver: {
            name: "pr-sentinel",
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: !result.outcomes.some((o) => o.status === "error"),
            toolExecutionNotifications: [
              ...problems.map((o) => ({
                level: o.status === "error" ? ("error" as const) : ("warning" as const),
                message: { text: `${o.checkId}: not checked (${o.status}): ${o.message ?? "no reason given"}` },
                descriptor: { id: o.checkId },
                properties: { checkId: o.checkId, status: o.status },
              })),
              ...warnings.map((w) => ({
                level: "warning" as const,
                message: { text: `${w.checkId}: ${w.text}` },
                descriptor: { id: w.checkId },
                properties: { checkId: w.checkId, status: "warning" },
              })),
            ],
            properties: {
              verdict: result.verdict.conclusion,
              verdictTitle: result.verdict.title,
              suppressedIgnoredPaths: result.suppressed.ignoredPaths,
              suppressedInline: result.suppressed.inline,
              suppressedAllowlist: result.suppressed.allowlist,
              expiredAllowlistEntries: result.expiredAllowlist.map((e) => e.fingerprint),
              notes: [...result.notes],
            },
          },
        ],
        results: result.findings.map((f) => toSarifResult(f, indexById.get(f.ruleId) ?? -1)),
        columnKind: "utf16CodeUnits" as const,
      },
    ],
  };
}

function toSarifResult(f: Finding, ruleIndex: number) {
  const properties: Record<string, string | number | boolean> = {
    ...(f.properties ?? {}),
    severity: f.severity,
    confidence: f.confidence,
    "security-severity": SECURITY_SEVERITY[f.severity],
    checkId: f.checkId,
    commentable: f.commentable,
  };
  if (f.evidence) properties.evidence = f.evidence;
  const text = f.remediation ? `${f.message}\n${f.remediation}` : f.message;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUri(f.path), uriBaseId: "%SRCROOT%" },
          region: { startLine: f.startLine, endLine: f.endLine },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties,
  };
}

export type SarifLog = ReturnType<typeof toSarifLog>;

export function renderSarif(result: ScanResult, options: SarifReportOptions): string {
  return `${JSON.stringify(toSarifLog(result, options), null, 2)}\n`;
}

/** A repository path as a relative URI reference: each segment percent-encoded, slashes kept. */
export function pathToUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** SARIF's `name` is an identifier: `secrets/github-classic-pat` → `SecretsGithubClassicPat`. */
function ruleName(ruleId: string): string {
  return ruleId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}
