/**
 * The engine's vocabulary. Everything that flows between a source of a change, the checks,
 * the verdict and the reporters is one of these types. Checks never see where a change came
 * from: they see `ChangedFile`s.
 */
import type { Logger } from "pino";
import type { z } from "zod";
import type { NpmRegistry, VulnerabilityLookup } from "../checks/dependencies/services.js";
import type { ActionRefResolver } from "../checks/policy/services.js";
import type { SecretVerifier } from "../checks/secrets/verify/types.js";
import type { TrustedMarkdown } from "./trusted-markdown.js";

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ["high", "medium", "low"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Higher is worse. `critical` = 4, `info` = 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

export type FileStatus = "added" | "modified" | "removed" | "renamed" | "copied";

/** One line the change adds, numbered as in the new (head) file. `text` has no line terminator. */
export interface AddedLine {
  readonly line: number;
  readonly text: string;
}

/**
 * A file's added lines by index: `lineNumber(i)` in the new file, `lineText(i)` without terminator.
 * A 100 MB change has about three million added lines; an object per line costs ~80 bytes on
 * Node 20, which is why large sources hand this out instead of materialising `addedLines`.
 */
export interface AddedLineView {
  readonly count: number;
  /** Characters (or bytes) of all lines with their separators, when known without reading them. */
  readonly textLength?: number;
  lineNumber(index: number): number;
  lineText(index: number): string;
}

/**
 * One file of a change, the same whether it came from `git diff` or from GitHub's
 * `GET /pulls/{n}/files`.
 */
export interface ChangedFile {
  /** Path at head (for removed files: the path that was removed). Forward slashes, no leading `./`. */
  readonly path: string;
  /** Path at base, for renames and copies. */
  readonly previousPath?: string;
  readonly status: FileStatus;
  /** The diff says the file is binary; `addedLines` is empty. */
  readonly binary: boolean;
  /**
   * No patch was available (GitHub omits patches of very large diffs). The source then derived
   * `addedLines` from the whole file at base and head, and no line is commentable.
   */
  readonly patchMissing: boolean;
  /** Lines the change adds, in ascending order. For an added file: every line. */
  readonly addedLines: readonly AddedLine[];
  /**
   * The same lines as `addedLines`, read by index without one object per line. Sources of large
   * changes (the git source) provide it and keep `addedLines` lazy; checks that read every line use
   * `addedLineView(file)` (src/core/added-line-view.ts), which prefers it.
   */
  readonly addedLineView?: AddedLineView;
  /** New-file line numbers that lie inside the diff hunks (RIGHT side: added or context lines). */
  readonly commentableLines: ReadonlySet<number>;
  /** Whole file at head; `null` when it does not exist there (removed). Throws `ContentError`. */
  readHead(): Promise<string | null>;
  /** Whole file at base (at `previousPath` for renames); `null` when it does not exist there. */
  readBase(): Promise<string | null>;
}

/** Reading a file failed or was refused (too large, unreachable). The message names the file. */
export class ContentError extends Error {
  constructor(
    message: string,
    readonly reason: "too-large" | "unavailable" | "binary",
  ) {
    super(message);
    this.name = "ContentError";
  }
}

/** What a check returns for each problem it finds; the engine completes it into a `Finding`. */
export interface FindingDraft {
  /** The rule's id within its check, e.g. `github-classic-pat`. */
  readonly ruleId: string;
  readonly path: string;
  readonly startLine: number;
  /** Defaults to `startLine`. */
  readonly endLine?: number;
  readonly message: string;
  readonly remediation?: string;
  /** Already redacted. Never a full secret. */
  readonly evidence?: string;
  /** Defaults to the rule's default severity (from the check's `meta.rules`), else the check's. */
  readonly severity?: Severity;
  /** Defaults to `high`. */
  readonly confidence?: Confidence;
  /**
   * What makes this finding itself, independent of where in the file it sits: e.g. a keyed hash of
   * a secret, or a package name and version. The fingerprint is a hash of check, rule, path and
   * this key, so it survives unrelated lines moving. Defaults to the trimmed text of `startLine`.
   */
  readonly fingerprintKey?: string;
  /**
   * Groups findings that are the same underlying thing across places (the same secret in three
   * files counts once in the summary). Must not reveal the thing: hash it.
   */
  readonly identity?: string;
  /** Extra data for JSON and SARIF `properties`. Must not contain secrets. */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
  /**
   * The fixed text of lines `startLine`..`endLine`, when the fix is that edit (a dependency bumped to
   * its fixed version). The app offers it as a one-click GitHub suggestion on commentable lines.
   */
  readonly suggestion?: string;
}

export interface Finding {
  readonly checkId: string;
  /** Fully qualified: `<checkId>/<rule>`, e.g. `secrets/github-classic-pat`. */
  readonly ruleId: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly message: string;
  readonly remediation?: string;
  readonly evidence?: string;
  readonly helpUrl: string;
  /** 64 hex chars, stable across pushes while the finding is the same. */
  readonly fingerprint: string;
  readonly identity?: string;
  /** Whether a review comment may be anchored on `endLine` (it lies inside a diff hunk). */
  readonly commentable: boolean;
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
  /** See `FindingDraft.suggestion`. */
  readonly suggestion?: string;
}

/** Rule metadata, declared once by a check; drafts refer to it by `ruleId`. */
export interface RuleMeta {
  readonly id: string;
  /** What was found, said once: "GitHub personal access token (classic)", not "… (GitHub)". */
  readonly title: string;
  readonly description?: string;
  readonly severity: Severity;
  /**
   * The real risk in one sentence: what an attacker can do with it (for a credential, what it
   * grants and how fast leaked ones are used). Shown as "Why it matters" in review comments.
   */
  readonly risk?: TrustedMarkdown;
  /** The fix as a step, with the provider's or the project's link where there is one. */
  readonly fix?: TrustedMarkdown;
}

export interface CheckMeta {
  /** Equals its folder or file name under `src/checks/`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly defaultSeverity: Severity;
  readonly tags: readonly string[];
  /** The check's rules, for SARIF `tool.driver.rules` and docs. */
  readonly rules: readonly RuleMeta[];
  /** The check asks services over the network; `--offline` skips it and says so. */
  readonly needsNetwork?: boolean;
  /**
   * The services the check uses. The engine hands each check only what it declared (a check that
   * does not talk to the network gets no `fetch`); a declared service may still be absent (offline,
   * not configured), and the check then says what it could not look at.
   */
  readonly services?: readonly ServiceName[];
}

/**
 * Clients a check may use, built once by `createServices` (src/services/create-services.ts) for the
 * app and the CLI, or by a test. Every member is optional: offline, or not configured.
 */
export interface Services {
  /** A bounded fetch for checks that talk HTTP; tests inject one that reaches only loopback fakes. */
  readonly fetch?: typeof fetch;
  /** Live secret verification: only when the operator enabled it (`PR_SENTINEL_VERIFY_SECRETS`). */
  readonly secretVerifier?: SecretVerifier;
  /** Known vulnerabilities and malware: the OSV API, or an offline OSV export (`OSV_DB_DIR`). */
  readonly vulnerabilities?: VulnerabilityLookup;
  /** npm package metadata (`NPM_REGISTRY_URL`). */
  readonly npmRegistry?: NpmRegistry;
  /** Action tags to commit SHAs, for one-click pins (the app, per installation; not the CLI). */
  readonly actionRefs?: ActionRefResolver;
}

export type ServiceName = keyof Services;

export interface CheckContext<Options> {
  readonly files: readonly ChangedFile[];
  readonly options: Options;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly services: Services;
  readonly offline: boolean;
  /**
   * A file at head that the change may not touch (the `package.json` beside a changed lockfile),
   * read through the source with the same size cap as `readHead()`. `null` when it does not exist.
   * Throws `ContentError`. Paths are repository paths; `paths.ignore` does not apply (it decides
   * what is reported on, not what may be read as context).
   */
  readFileAtHead(path: string): Promise<string | null>;
  /** The repository being scanned, when the source knows it (the app does; the CLI does not say). */
  readonly repository?: RepositoryRef;
}

export interface RepositoryRef {
  readonly owner: string;
  readonly name: string;
}

export interface CheckRunResult {
  readonly findings: readonly FindingDraft[];
  /** Things the user should know that do not make the result incomplete ("3 requirements are unpinned"). */
  readonly warnings?: readonly string[];
  /**
   * Parts of the change the check could not judge (a lockfile that does not parse, OSV unreachable).
   * The outcome becomes `error`, so the verdict follows `on_error`, while the findings it did make
   * are still reported: a partial answer is never presented as a complete one.
   */
  readonly incomplete?: readonly string[];
}

// The options schema is a zod object so the config can flatten a check's options next to its
// common keys (`enabled`, `severity`) and reject unknown ones.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOptionsSchema = z.ZodObject<any>;

export interface Check<S extends AnyOptionsSchema = AnyOptionsSchema> {
  readonly meta: CheckMeta;
  readonly optionsSchema: S;
  run(context: CheckContext<z.infer<S>>): Promise<CheckRunResult | readonly FindingDraft[]>;
}

/** Helper so authors get option types inferred without repeating them. */
export function defineCheck<S extends AnyOptionsSchema>(check: Check<S>): Check<S> {
  return check;
}

export type CheckStatus = "ok" | "error" | "skipped" | "disabled";

export interface CheckOutcome {
  readonly checkId: string;
  readonly status: CheckStatus;
  /** For `error` and `skipped`: why, in one line. */
  readonly message?: string;
  readonly warnings: readonly string[];
  readonly durationMs: number;
  readonly findingCount: number;
}

export interface SuppressionCounts {
  /** Files left out by `paths.ignore`. */
  readonly ignoredPaths: number;
  /** Findings silenced by a `pr-sentinel-ignore` marker. */
  readonly inline: number;
  /** Findings silenced by a current allowlist entry. */
  readonly allowlist: number;
  /**
   * Findings accepted by the baseline file (`baseline:` in config). The engine always sets it;
   * optional so that results built by hand (tests, stored reports) stay valid.
   */
  readonly baseline?: number;
}

export interface ExpiredAllowlistEntry {
  readonly fingerprint: string;
  readonly reason: string;
  readonly expires: string;
}

export type VerdictConclusion = "pass" | "fail" | "neutral";

export interface Verdict {
  readonly conclusion: VerdictConclusion;
  /** `never` when blocking is switched off. */
  readonly failOn: Severity | "never";
  readonly onError: "neutral" | "fail";
  readonly counts: Readonly<Record<Severity, number>>;
  /** One line a person understands at a glance: "2 high, 1 medium: fails on high". */
  readonly title: string;
  readonly reasons: readonly string[];
}

export interface ScanStats {
  readonly files: number;
  readonly addedLines: number;
  readonly durationMs: number;
  /** Distinct things found (`identity`), e.g. one secret in three places counts once. */
  readonly distinctFindings: number;
}

export interface ScanResult {
  readonly findings: readonly Finding[];
  readonly outcomes: readonly CheckOutcome[];
  readonly suppressed: SuppressionCounts;
  readonly expiredAllowlist: readonly ExpiredAllowlistEntry[];
  readonly verdict: Verdict;
  readonly stats: ScanStats;
  /** Rule metadata of every check that ran, for SARIF. */
  readonly rules: readonly (RuleMeta & { readonly checkId: string; readonly helpUrl: string })[];
  /** Notes about the scan as a whole, e.g. "GitHub lists at most 3000 files; the scan is partial". */
  readonly notes: readonly string[];
  /**
   * `identity` (else fingerprint) of every finding a suppression silenced: hashes, never the thing.
   * A secret silenced in the head is not reported again from an earlier commit that added it.
   */
  readonly suppressedIdentities?: readonly string[];
}
