/**
 * The policy check: security rules as code for CI workflows, Dockerfiles, Kubernetes manifests,
 * Terraform, sensitive files and the repository's own rules, each finding on its line.
 *
 * Threat: CI workflows that run a fork's code with secrets, images that run as root and pipe the
 * internet into a shell, clusters and buckets opened to the world, credentials committed as files.
 * Data: each changed file at head and at base, parsed by its domain (domains/) and judged by that
 * domain's audits (audits/). Only what the change brings is reported: a finding whose key the base
 * already had is not the change's, whatever line it moved to. Known false positives are listed per
 * audit in docs/checks/policy.md.
 */
import { addedLineView } from "../../core/added-line-view.js";
import { PackedAddedLines, Utf8PackedAddedLines } from "../../core/diff/packed-added-lines.js";
import { newAtHead } from "../../core/new-at-head.js";
import { ContentError, defineCheck, type ChangedFile, type Check, type CheckContext, type FindingDraft, type RuleMeta } from "../../core/types.js";
import type { Audit, AuditFinding, PolicyDomain } from "./audit.js";
import { PolicyParseError } from "./audit.js";
import { parseUses } from "./workflow/uses-ref.js";
import { customRuleFindings, CUSTOM_RULE_METAS } from "./custom-rules.js";
import type { FileDocument } from "./domains/file.js";
import { policyOptionsSchema, type PolicyOptions } from "./options.js";
import { trustedMarkdown } from "../../core/trusted-markdown.js";

type Ctx = CheckContext<PolicyOptions>;

export function createPolicyCheck(domains: readonly PolicyDomain[], audits: readonly Audit[]): Check<typeof policyOptionsSchema> {
  const rules: RuleMeta[] = [
    // An audit's attack sentence and fix step are this repository's own words: trusted Markdown.
    ...audits.map((a) => ({
      id: a.id,
      title: a.title,
      description: a.description,
      severity: a.severity,
      risk: trustedMarkdown(a.description),
      fix: trustedMarkdown(auditFix(a)),
    })),
    ...CUSTOM_RULE_METAS,
  ];
  return defineCheck({
    meta: {
      id: "policy",
      title: "Policy",
      description:
        "Security rules as code for GitHub Actions workflows, Dockerfiles, Kubernetes manifests, Terraform, sensitive files and the repository's own path and pattern rules.",
      defaultSeverity: "high",
      tags: ["security", "policy", "ci", "containers", "iac"],
      rules,
      services: ["actionRefs"],
    },
    optionsSchema: policyOptionsSchema,
    run: (ctx) => runPolicyCheck(ctx, domains, audits),
  });
}

async function runPolicyCheck(ctx: Ctx, domains: readonly PolicyDomain[], audits: readonly Audit[]) {
  const disabled = new Set(ctx.options.disable);
  const byDomain = new Map<string, Audit[]>();
  for (const audit of audits) {
    if (disabled.has(audit.id)) continue;
    const list = byDomain.get(audit.domain) ?? [];
    list.push(audit);
    byDomain.set(audit.domain, list);
  }
  const findings: FindingDraft[] = [];
  const incomplete: string[] = [];
  for (const file of ctx.files) {
    ctx.signal.throwIfAborted();
    if (file.status === "removed") continue;
    const candidates = domains.filter((d) => byDomain.has(d.id) && d.matches(file.path) !== false);
    if (candidates.length > 0) findings.push(...(await auditFile(ctx, file, candidates, byDomain, incomplete)));
    // Parsing and auditing are synchronous: let timers, aborts and other checks run between files.
    await new Promise((resolve) => setImmediate(resolve));
  }
  findings.push(...(await customRuleFindings(ctx, incomplete)));
  return { findings, incomplete };
}

interface HeadSide {
  /** `null` when the head cannot be read as text. */
  readonly text: string | null;
  /** Why the head could not be read as text (binary, too large). */
  readonly unreadable?: ContentError["reason"];
}

async function readHeadSide(file: ChangedFile, incomplete: string[]): Promise<HeadSide | undefined> {
  try {
    return { text: await file.readHead() };
  } catch (error) {
    if (error instanceof ContentError && (error.reason === "binary" || error.reason === "too-large")) return { text: null, unreadable: error.reason };
    incomplete.push(`${file.path}: could not be read (${(error as Error).message}); its policy audits did not run`);
    return undefined;
  }
}

/** An added file as its added lines (the whole file), without reading it. */
function addedHeadSide(file: ChangedFile): HeadSide {
  if (file.binary) return { text: null, unreadable: "binary" };
  const view = addedLineView(file);
  // Packed lines are already the file's text, each line followed by "\n": a slice (or, for UTF-8
  // packed files, one decode), not a join of every line (measured on the 40 MB bench change: 89 ms
  // of joins and their garbage, then 41 ms for the non-Latin-1 tenth).
  if (view instanceof PackedAddedLines || view instanceof Utf8PackedAddedLines) return { text: view.joinedText() };
  const lines: string[] = new Array(view.count);
  for (let i = 0; i < view.count; i++) lines[i] = view.lineText(i);
  return { text: lines.join("\n") };
}

async function auditFile(
  ctx: Ctx,
  file: ChangedFile,
  domains: readonly PolicyDomain[],
  byDomain: ReadonlyMap<string, readonly Audit[]>,
  incomplete: string[],
): Promise<FindingDraft[]> {
  const findings: FindingDraft[] = [];
  const parsed = domains.filter((d) => d.id !== "file");
  // Sensitive files are judged when they arrive (added, or renamed or copied into place), not on every edit.
  const arrives = file.status === "added" || file.status === "renamed" || file.status === "copied";
  const fileAudits = arrives && domains.some((d) => d.id === "file") ? (byDomain.get("file") ?? []) : [];
  if (parsed.length === 0 && fileAudits.length === 0) return findings;
  // An added file's added lines are the whole file: the file domain needs no read for it (a change
  // of 4,000 added files would otherwise wait on 4,000 reads).
  const head = file.status === "added" && parsed.length === 0 ? addedHeadSide(file) : await readHeadSide(file, incomplete);
  if (!head) return findings;
  if (fileAudits.length > 0) findings.push(...auditAsFile(ctx, file, head, fileAudits, incomplete));
  if (head.text === null) return findings;
  // The base is read (a GitHub request in the app) and parsed only when the head has a finding to
  // compare with it: most changed files have none, and parsing is most of the cost.
  let baseText: Promise<string | null> | undefined;
  const readBase = () => (baseText ??= file.status === "added" ? Promise.resolve(null) : file.readBase().catch(() => null));
  for (const domain of parsed) {
    if (domain.matches(file.path, head.text) !== true) continue;
    let headDoc: unknown;
    try {
      headDoc = domain.parse(head.text, file.path);
    } catch (error) {
      const line = error instanceof PolicyParseError && error.line !== undefined ? ` line ${error.line}` : "";
      incomplete.push(`${file.path}${line}: not a valid ${domain.files} file (${firstLine(error)}); its ${domain.id} audits did not run`);
      continue;
    }
    const basePath = file.previousPath ?? file.path;
    const baseDoc = async (): Promise<{ doc: unknown; text: string } | undefined> => {
      const text = await readBase();
      // A base that is not this domain's, or does not parse, has no findings to subtract.
      if (text === null || domain.matches(basePath, text) !== true) return undefined;
      try {
        return { doc: domain.parse(text, basePath), text };
      } catch {
        return undefined;
      }
    };
    const judged = await judge(ctx, file, byDomain.get(domain.id) ?? [], headDoc, head.text, baseDoc, incomplete);
    findings.push(...(domain.id === "workflow" ? await withPinSuggestions(ctx, judged, head.text) : judged));
  }
  return findings;
}

/** The `uses:` value of a line, with what surrounds it: `  - uses: "owner/repo@v4" # note`. */
const USES_LINE = /^(\s*(?:-\s+)?uses:\s*)(["']?)([^\s"'#]+)\2(\s*#.*)?$/;

/**
 * In the app, an unpinned action's tag is resolved through the GitHub API and the finding offers
 * the pin as a one-click suggestion (`@<sha> # v4.2.2`). Where it cannot be resolved the message says
 * so; there is never a guessed SHA.
 */
async function withPinSuggestions(ctx: Ctx, drafts: FindingDraft[], headText: string): Promise<FindingDraft[]> {
  const resolver = ctx.services.actionRefs;
  if (!resolver || !drafts.some((d) => d.ruleId === "unpinned-uses")) return drafts;
  const lines = headText.split(/\r?\n/);
  return Promise.all(
    drafts.map(async (d) => {
      if (d.ruleId !== "unpinned-uses" || (d.endLine ?? d.startLine) !== d.startLine) return d;
      const match = USES_LINE.exec(lines[d.startLine - 1] ?? "");
      const uses = match ? parseUses(match[3]!) : undefined;
      if (!match || uses?.kind !== "repository" || uses.ref === undefined) return d;
      const resolved = await resolver.resolve(uses.owner, uses.repo, uses.ref, ctx.signal);
      if (!resolved) return { ...d, message: `${d.message} The tag could not be resolved to a commit here, so no pin is suggested.` };
      const [, prefix, quote] = match;
      const target = `${uses.owner}/${uses.repo}${uses.path ? `/${uses.path}` : ""}`;
      const comment = resolved.version ? ` # ${resolved.version}` : "";
      return { ...d, suggestion: `${prefix}${quote}${target}@${resolved.sha}${quote}${comment}` };
    }),
  );
}

/** The file domain sees every added file, including binary and oversized ones. */
function auditAsFile(ctx: Ctx, file: ChangedFile, head: HeadSide, audits: readonly Audit[], incomplete: string[]): FindingDraft[] {
  const doc: FileDocument =
    head.text === null
      ? { path: file.path, text: null, binary: head.unreadable === "binary", tooLarge: head.unreadable === "too-large" }
      : { path: file.path, text: head.text, bytes: Buffer.byteLength(head.text), binary: false };
  const findings: FindingDraft[] = [];
  for (const audit of audits) {
    for (const f of safeRun(audit, doc, ctx, file.path, incomplete)) findings.push(toDraft(audit, file.path, f));
  }
  return findings;
}

async function judge(
  ctx: Ctx,
  file: ChangedFile,
  audits: readonly Audit[],
  headDoc: unknown,
  headText: string,
  baseDoc: () => Promise<{ doc: unknown; text: string } | undefined>,
  incomplete: string[],
): Promise<FindingDraft[]> {
  const headLines = headText.split(/\r?\n/);
  const drafts: FindingDraft[] = [];
  let base: Promise<{ doc: unknown; lines: string[] } | undefined> | undefined;
  for (const audit of audits) {
    const head = safeRun(audit, headDoc, ctx, file.path, incomplete);
    if (head.length === 0) continue;
    base ??= baseDoc().then((b) => (b ? { doc: b.doc, lines: b.text.split(/\r?\n/) } : undefined));
    const side = await base;
    const before = side ? safeRun(audit, side.doc, ctx, file.path, incomplete) : [];
    const keyed = (lines: readonly string[]) => (f: AuditFinding) => ({ f, key: f.key ?? (lines[f.line - 1] ?? "").trim() });
    // Compared by key, counted: a second copy of an old problem is new; one that only moved is not.
    for (const { f, key } of newAtHead(before.map(keyed(side?.lines ?? [])), head.map(keyed(headLines)), (x) => x.key)) {
      drafts.push(toDraft(audit, file.path, f, key));
    }
  }
  return drafts;
}

/**
 * An audit that throws on a hostile document must not take the others down: that file is named as
 * not fully judged (the outcome becomes an error) and the other audits and files go on.
 */
function safeRun(audit: Audit, doc: unknown, ctx: Ctx, path: string, incomplete: string[]): readonly AuditFinding[] {
  try {
    return audit.run(doc, { options: ctx.options, ...(ctx.repository ? { repository: { owner: ctx.repository.owner } } : {}) });
  } catch (error) {
    ctx.logger.warn({ audit: audit.id, err: { message: firstLine(error) } }, "audit failed");
    incomplete.push(`${path}: audit ${audit.id} failed (${firstLine(error)}); the file is not fully judged`);
    return [];
  }
}

function toDraft(audit: Audit, path: string, f: AuditFinding, key?: string): FindingDraft {
  return {
    ruleId: audit.id,
    path,
    startLine: f.line,
    ...(f.endLine !== undefined && f.endLine > f.line ? { endLine: f.endLine } : {}),
    message: f.message,
    remediation: auditFix(audit),
    severity: f.severity ?? audit.severity,
    confidence: f.confidence ?? audit.confidence,
    fingerprintKey: `${audit.id}:${key ?? f.key ?? ""}`,
    ...(f.suggestion !== undefined ? { suggestion: f.suggestion } : {}),
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 300);
}

/** An audit's fix step and where to read more: the same words in every report. */
function auditFix(audit: Pick<Audit, "remediation" | "link">): string {
  return `${audit.remediation} See ${audit.link}`;
}
