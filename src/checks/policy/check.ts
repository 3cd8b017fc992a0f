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
import { newAtHead } from "../../core/new-at-head.js";
import { ContentError, defineCheck, type ChangedFile, type Check, type CheckContext, type FindingDraft, type RuleMeta } from "../../core/types.js";
import type { Audit, AuditFinding, PolicyDomain } from "./audit.js";
import { PolicyParseError } from "./audit.js";
import { customRuleFindings, CUSTOM_RULE_METAS } from "./custom-rules.js";
import type { FileDocument } from "./domains/file.js";
import { policyOptionsSchema, type PolicyOptions } from "./options.js";

type Ctx = CheckContext<PolicyOptions>;

export function createPolicyCheck(domains: readonly PolicyDomain[], audits: readonly Audit[]): Check<typeof policyOptionsSchema> {
  const rules: RuleMeta[] = [
    ...audits.map((a) => ({ id: a.id, title: a.title, description: a.description, severity: a.severity })),
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

interface Sides {
  readonly head: string | null;
  readonly base: string | null;
  /** Why the head could not be read as text (binary, too large). */
  readonly unreadable?: ContentError["reason"];
}

async function readSides(file: ChangedFile, incomplete: string[]): Promise<Sides | undefined> {
  let head: string | null;
  try {
    head = await file.readHead();
  } catch (error) {
    if (error instanceof ContentError && (error.reason === "binary" || error.reason === "too-large")) return { head: null, base: null, unreadable: error.reason };
    incomplete.push(`${file.path}: could not be read (${(error as Error).message}); its policy audits did not run`);
    return undefined;
  }
  let base: string | null = null;
  if (file.status !== "added") {
    // A base that cannot be read as text has nothing to subtract: every head finding is new.
    base = await file.readBase().catch(() => null);
  }
  return { head, base };
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
  // An added file's added lines are the whole file: the file domain needs no read for it (a change
  // of 4,000 added files would otherwise wait on 4,000 reads).
  // Sensitive files are judged when they arrive (added, or renamed or copied into place), not on every edit.
  const arrives = file.status === "added" || file.status === "renamed" || file.status === "copied";
  const fileAudits = arrives && domains.some((d) => d.id === "file") ? (byDomain.get("file") ?? []) : [];
  if (parsed.length === 0 && fileAudits.length === 0) return findings;
  if (fileAudits.length > 0 && file.status === "added" && parsed.length === 0) {
    findings.push(...auditAsFile(ctx, file, addedSides(file), fileAudits));
    return findings;
  }
  const sides = await readSides(file, incomplete);
  if (!sides) return [];
  if (fileAudits.length > 0) findings.push(...auditAsFile(ctx, file, sides, fileAudits));
  for (const domain of parsed) {
    const audits = byDomain.get(domain.id) ?? [];
    if (sides.head === null || sides.head === undefined) continue;
    if (domain.matches(file.path, sides.head) !== true) continue;
    let headDoc: unknown;
    try {
      headDoc = domain.parse(sides.head, file.path);
    } catch (error) {
      const line = error instanceof PolicyParseError && error.line !== undefined ? ` line ${error.line}` : "";
      incomplete.push(`${file.path}${line}: not a valid ${domain.files} file (${firstLine(error)}); its ${domain.id} audits did not run`);
      continue;
    }
    // The base is parsed only when the head has something to compare it with: most changed files
    // have no finding, and parsing is most of the cost (2,000 changed files: 8.3 s -> about half).
    const basePath = file.previousPath ?? file.path;
    const baseText = sides.base;
    const parseBase = (): unknown => {
      if (baseText === null || domain.matches(basePath, baseText) !== true) return undefined;
      try {
        return domain.parse(baseText, basePath);
      } catch {
        // A base that did not parse had no findings to subtract.
        return undefined;
      }
    };
    const judged = judge(ctx, file, audits, headDoc, parseBase, sides.head, sides.base);
    findings.push(...(domain.id === "workflow" ? await withPinSuggestions(ctx, judged, sides.head) : judged));
  }
  return findings;
}

const USES_LINE = /^(\s*(?:-\s+)?uses:\s*)(["']?)([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)((?:\/[^@\s"']*)?)@([^\s"'#]+)\2(\s*#.*)?$/;

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
      if (!match) return d;
      const [, prefix, quote, owner, repo, subpath, ref] = match;
      const resolved = await resolver.resolve(owner!, repo!, ref!, ctx.signal);
      if (!resolved) return { ...d, message: `${d.message} The tag could not be resolved to a commit here, so no pin is suggested.` };
      const comment = resolved.version ? ` # ${resolved.version}` : "";
      return { ...d, suggestion: `${prefix}${quote}${owner}/${repo}${subpath}@${resolved.sha}${quote}${comment}` };
    }),
  );
}

/** An added file as its added lines (the whole file), without reading it. */
function addedSides(file: ChangedFile): Sides {
  if (file.binary) return { head: null, base: null, unreadable: "binary" };
  const view = addedLineView(file);
  const lines: string[] = new Array(view.count);
  for (let i = 0; i < view.count; i++) lines[i] = view.lineText(i);
  return { head: lines.join("\n"), base: null };
}

/** The file domain sees every added file, including binary and oversized ones. */
function auditAsFile(ctx: Ctx, file: ChangedFile, sides: Sides, audits: readonly Audit[]): FindingDraft[] {
  const doc: FileDocument =
    sides.head === null
      ? { path: file.path, text: null, binary: sides.unreadable === "binary", tooLarge: sides.unreadable === "too-large" }
      : { path: file.path, text: sides.head, bytes: Buffer.byteLength(sides.head), binary: false };
  const findings: FindingDraft[] = [];
  for (const audit of audits) {
    for (const f of safeRun(audit, doc, ctx)) findings.push(toDraft(audit, file.path, f));
  }
  return findings;
}

function judge(
  ctx: Ctx,
  file: ChangedFile,
  audits: readonly Audit[],
  headDoc: unknown,
  parseBase: () => unknown,
  headText: string,
  baseText: string | null,
): FindingDraft[] {
  const headLines = headText.split(/\r?\n/);
  const baseLines = baseText === null ? [] : baseText.split(/\r?\n/);
  const drafts: FindingDraft[] = [];
  let baseDoc: { readonly doc: unknown } | undefined;
  for (const audit of audits) {
    const head = safeRun(audit, headDoc, ctx);
    if (head.length === 0) continue;
    baseDoc ??= { doc: parseBase() };
    const base = baseDoc.doc === undefined ? [] : safeRun(audit, baseDoc.doc, ctx);
    const keyed = (lines: readonly string[]) => (f: AuditFinding) => ({ f, key: f.key ?? (lines[f.line - 1] ?? "").trim() });
    // Compared by key, counted: a second copy of an old problem is new; one that only moved is not.
    for (const { f, key } of newAtHead(base.map(keyed(baseLines)), head.map(keyed(headLines)), (x) => x.key)) {
      drafts.push(toDraft(audit, file.path, f, key));
    }
  }
  return drafts;
}

/** An audit that throws on a hostile document must not take the others down; it is a bug to fix. */
function safeRun(audit: Audit, doc: unknown, ctx: Ctx): readonly AuditFinding[] {
  try {
    return audit.run(doc, { options: ctx.options, ...(ctx.repository ? { repository: { owner: ctx.repository.owner } } : {}) });
  } catch (error) {
    ctx.logger.warn({ audit: audit.id, err: { message: firstLine(error) } }, "audit failed");
    throw new Error(`audit ${audit.id} failed: ${firstLine(error)}`);
  }
}

function toDraft(audit: Audit, path: string, f: AuditFinding, key?: string): FindingDraft {
  return {
    ruleId: audit.id,
    path,
    startLine: f.line,
    ...(f.endLine !== undefined && f.endLine > f.line ? { endLine: f.endLine } : {}),
    message: f.message,
    remediation: `${audit.remediation} See ${audit.link}`,
    severity: f.severity ?? audit.severity,
    confidence: f.confidence ?? audit.confidence,
    fingerprintKey: `${audit.id}:${key ?? f.key ?? ""}`,
    ...(f.suggestion !== undefined ? { suggestion: f.suggestion } : {}),
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 300);
}
