/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`). GitHub reads
 * `partialFingerprints` to follow an alert across pushes, `properties.security-severity` (a number
 * as a string) on rules to rank alerts, and `level` for the plain severity. Checks that could not
 * run go into `invocations[].toolExecutionNotifications`, so "not checked" never looks clean.
 * Nothing but the already-redacted `evidence` of a finding is copied from what was found.
 *
 * The log is kept inside GitHub's documented limits (`GITHUB_SARIF_LIMITS`): only the rules that
 * have results are embedded, and results beyond a limit are left out most-severe-last, counted in
 * `run.properties` and named in a notification, never dropped silently.
 */
import { gzipSync } from "node:zlib";
import { severityRank, type Finding, type ScanResult, type Severity } from "../core/types.js";
import { DOCS_BASE_URL, projectUrlOf } from "../core/docs-url.js";
import { isEarlierCommitFinding } from "./earlier-commits.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "prSentinel/v1";
/**
 * The key GitHub code scanning matches results on across runs. upload-sarif computes it from the
 * file only when it is absent (codeql-action `src/fingerprints.ts`), and an upload through the REST
 * API gets none at all, so the log carries it itself.
 */
export const GITHUB_FINGERPRINT_KEY = "primaryLocationLineHash";
/** Code scanning's category for these results; `<category>/<run id>`, the run id left empty. */
export const DEFAULT_AUTOMATION_ID = "pr-sentinel/";
const INFORMATION_URI = projectUrlOf(DOCS_BASE_URL);

/**
 * GitHub's limits on one SARIF upload, as documented:
 * https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
 * (maximum values, above which the upload is rejected: runs per file 20, results per run 25,000,
 * rules per run 25,000, tool extensions per run 100, thread flow locations per result 10,000,
 * locations per result 1,000, tags per rule 20; of those, only 5,000 results, 100 locations and 10
 * tags are displayed) and
 * https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/file-too-large
 * (10 MB gzip-compressed). "MB" is read as 10^6 bytes, the smaller reading.
 */
export const GITHUB_SARIF_LIMITS = {
  maxGzipBytes: 10_000_000,
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  toolExtensionsPerRun: 100,
  threadFlowLocationsPerResult: 10_000,
  locationsPerResult: 1_000,
  tagsPerRule: 20,
  displayedTagsPerRule: 10,
} as const;

export interface SarifReportOptions {
  readonly toolVersion: string;
  /** The tool's home page (`PR_SENTINEL_DOCS_URL`'s project); default the project's. */
  readonly informationUri?: string;
  /**
   * The repository's web address, e.g. `https://github.com/owner/repo` (the CLI derives it from the
   * `origin` remote with its credentials stripped). With it the log has `versionControlProvenance`.
   * Anything that is not a plain http(s) URL without user info is left out, not repaired.
   */
  readonly repositoryUri?: string;
  /** The commit scanned, full hex id. Absent with `--staged`: the index is not a commit. */
  readonly revisionId?: string;
  /** `run.automationDetails.id`; default `pr-sentinel/`. */
  readonly automationId?: string;
  /** Lower limits, for tests; the defaults are GitHub's. */
  readonly limits?: { readonly maxGzipBytes?: number; readonly resultsPerRun?: number };
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

/** Why results were left out, for the notification and `run.properties.resultsOmittedBecause`. */
type OmittedBecause = "results-per-run" | "file-size";

interface Selection {
  readonly findings: readonly Finding[];
  readonly because?: OmittedBecause;
}

export function toSarifLog(result: ScanResult, options: SarifReportOptions) {
  const maxResults = options.limits?.resultsPerRun ?? GITHUB_SARIF_LIMITS.resultsPerRun;
  const findings = mostSevere(result.findings, maxResults);
  return buildLog(result, options, { findings, because: findings.length < result.findings.length ? "results-per-run" : undefined });
}

function buildLog(result: ScanResult, options: SarifReportOptions, selection: Selection) {
  const rules = rulesFor(result, selection.findings);
  const indexById = new Map(rules.map((r, i) => [r.id, i]));

  const omitted = result.findings.length - selection.findings.length;
  const problems = result.outcomes.filter((o) => o.status === "error" || o.status === "skipped");
  const warnings = result.outcomes.flatMap((o) => o.warnings.map((w) => ({ checkId: o.checkId, text: w })));
  const provenance = versionControlProvenance(options);
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
            informationUri: options.informationUri ?? INFORMATION_URI,
            rules,
          },
        },
        automationDetails: { id: options.automationId ?? DEFAULT_AUTOMATION_ID },
        ...(provenance ? { versionControlProvenance: provenance } : {}),
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
              ...(omitted > 0 ? [omittedNotification(omitted, result.findings.length, selection.because!, options)] : []),
            ],
            properties: {
              verdict: result.verdict.conclusion,
              verdictTitle: result.verdict.title,
              suppressedIgnoredPaths: result.suppressed.ignoredPaths,
              suppressedInline: result.suppressed.inline,
              suppressedAllowlist: result.suppressed.allowlist,
              suppressedBaseline: result.suppressed.baseline ?? 0,
              expiredAllowlistEntries: result.expiredAllowlist.map((e) => e.fingerprint),
              notes: [...result.notes],
            },
          },
        ],
        results: selection.findings.map((f) => toSarifResult(f, indexById.get(f.ruleId)!)),
        columnKind: "utf16CodeUnits" as const,
        // Always present, so a consumer can tell "nothing left out" from "not said".
        properties: {
          findingCount: result.findings.length,
          resultsOmitted: omitted,
          ...(omitted > 0 ? { resultsOmittedBecause: selection.because! } : {}),
        },
      },
    ],
  };
}

/**
 * Only the rules that have results: embedding every rule of every check made a 231 KB log for six
 * findings. Declared rules keep their declaration order; a rule a check reported without declaring
 * it follows, so every `ruleIndex` resolves.
 */
function rulesFor(result: ScanResult, findings: readonly Finding[]): SarifRule[] {
  const used = new Map<string, Finding>();
  for (const f of findings) if (!used.has(f.ruleId)) used.set(f.ruleId, f);
  const rules: SarifRule[] = [];
  const added = new Set<string>();
  for (const r of result.rules) {
    if (!used.has(r.id) || added.has(r.id)) continue;
    added.add(r.id);
    rules.push({
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
  for (const [id, f] of used) {
    if (added.has(id)) continue;
    added.add(id);
    rules.push({
      id,
      name: ruleName(id),
      shortDescription: { text: id },
      helpUri: f.helpUrl,
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: { tags: ["security", f.checkId], "security-severity": SECURITY_SEVERITY[f.severity], severity: f.severity, checkId: f.checkId },
    });
  }
  return rules;
}

/**
 * At most `max` findings, the most severe kept (GitHub also displays the most severe first), in
 * their original order. Stable: equal severities keep the engine's deterministic order, so the
 * same scan leaves out the same results every run.
 */
function mostSevere(findings: readonly Finding[], max: number): readonly Finding[] {
  if (findings.length <= max) return findings;
  const keep = new Set(
    findings
      .map((f, i) => ({ rank: severityRank(f.severity), i }))
      .sort((a, b) => b.rank - a.rank || a.i - b.i)
      .slice(0, Math.max(0, max))
      .map((x) => x.i),
  );
  return findings.filter((_f, i) => keep.has(i));
}

function omittedNotification(omitted: number, total: number, because: OmittedBecause, options: SarifReportOptions) {
  const maxResults = options.limits?.resultsPerRun ?? GITHUB_SARIF_LIMITS.resultsPerRun;
  const maxGzipBytes = options.limits?.maxGzipBytes ?? GITHUB_SARIF_LIMITS.maxGzipBytes;
  const limit =
    because === "results-per-run"
      ? `code scanning accepts at most ${maxResults.toLocaleString("en-US")} results per run`
      : `code scanning accepts at most ${(maxGzipBytes / 1e6).toLocaleString("en-US")} MB of gzip-compressed SARIF`;
  return {
    level: "warning" as const,
    message: {
      text: `${omitted} of ${total} findings are not in this SARIF log (${limit}); the least severe were left out. The json report lists all of them.`,
    },
    descriptor: { id: "sarif-limits" },
    properties: { resultsOmitted: omitted, findingCount: total, because },
  };
}

/**
 * Where the results come from, so code scanning (and anyone reading the file later) can tie them
 * to a repository and commit. `mappedTo` says the repository root is `%SRCROOT%`, the base of every
 * result's `uri`. Only a plain http(s) URL without user info is used: the reporter never repairs
 * one, so a credential a caller forgot to strip is left out rather than written.
 */
function versionControlProvenance(options: SarifReportOptions) {
  const repositoryUri = safeRepositoryUri(options.repositoryUri);
  if (!repositoryUri) return undefined;
  const revisionId = options.revisionId && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(options.revisionId) ? options.revisionId : undefined;
  return [{ repositoryUri, ...(revisionId ? { revisionId } : {}), mappedTo: { uriBaseId: "%SRCROOT%" } }];
}

function safeRepositoryUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") return undefined;
  return url.href.replace(/\/$/, "");
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
          // A secret from an earlier commit has no line in the head: the file is its location, and
          // the commit that introduced it is in `properties.commit`.
          ...(isEarlierCommitFinding(f) ? {} : { region: { startLine: f.startLine, endLine: f.endLine } }),
        },
      },
    ],
    // The finding's fingerprint hashes check, rule, path and what was found, never the line, so
    // the alert survives lines moving above it, and equals the id the allowlist uses. It goes under
    // GitHub's own key as well, because that is the key code scanning matches on; upload-sarif then
    // keeps it (it fills that key only when absent) and logs a warning that its own line hash
    // differs, which is expected. Our key stays for tools that read pr-sentinel's id.
    partialFingerprints: { [GITHUB_FINGERPRINT_KEY]: f.fingerprint, [FINGERPRINT_KEY]: f.fingerprint },
    properties,
  };
}

export type SarifLog = ReturnType<typeof toSarifLog>;

/**
 * The log as pretty-printed JSON, within GitHub's size limit: when the gzip-compressed log is too
 * large, the least severe results are left out (and counted) until it fits. Gzip only runs when the
 * uncompressed text could be over the limit, so everyday logs pay nothing for the check.
 */
export function renderSarif(result: ScanResult, options: SarifReportOptions): string {
  const maxGzipBytes = options.limits?.maxGzipBytes ?? GITHUB_SARIF_LIMITS.maxGzipBytes;
  let log = toSarifLog(result, options);
  let text = serialize(log);
  for (let attempt = 0; attempt < 20; attempt++) {
    const size = gzippedSizeIfNear(text, maxGzipBytes);
    if (size <= maxGzipBytes) break;
    const kept = log.runs[0]!.results.length;
    if (kept === 0) break;
    // Shrink in proportion to the overshoot, with a margin, so a few rounds suffice.
    const ratio = maxGzipBytes / size;
    const next = Math.min(kept - 1, Math.floor(kept * ratio * 0.9));
    log = buildLog(result, options, { findings: mostSevere(result.findings, Math.max(0, next)), because: "file-size" });
    text = serialize(log);
  }
  return text;
}

function serialize(log: SarifLog): string {
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The gzipped size, computed (once) only when the text could be over the limit; 0 when it cannot. */
function gzippedSizeIfNear(text: string, maxGzipBytes: number): number {
  // Gzip adds at most a few bytes per 16 KiB block to incompressible input: 1% covers it.
  if (Buffer.byteLength(text, "utf8") <= maxGzipBytes * 0.99) return 0;
  return gzipSync(text).length;
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
