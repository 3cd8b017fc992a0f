/**
 * Suppressions common to every check: the inline marker, the fingerprint allowlist and the baseline.
 * (`paths.ignore` acts earlier: ignored files never reach a check.) Every suppression is counted and
 * reported, because an ignore that nobody sees is how a pull request quietly switches off its review.
 */
import { addedLineView } from "./added-line-view.js";
import type { AddedLineView, ChangedFile, ExpiredAllowlistEntry, Finding } from "./types.js";
import type { PrSentinelConfig } from "./config/schema.js";

/**
 * `pr-sentinel-ignore` alone, or followed by rule ids separated by commas (`github-classic-pat`,
 * `secrets/github-classic-pat`, or a whole check: `secrets`). Whatever comment syntax surrounds it
 * (`#`, `//`, `/* *\/`, `<!-- -->`, `--`) is ignored, including a closer glued to the id.
 */
const MARKER = /pr-sentinel-ignore(?![\w-])(?:[ \t]+([A-Za-z0-9][\w./-]*(?:[ \t]*,[ \t]*[A-Za-z0-9][\w./-]*)*))?/g;

export function markerCovers(lineText: string, finding: Pick<Finding, "ruleId" | "checkId">): boolean {
  const local = finding.ruleId.slice(finding.checkId.length + 1);
  for (const match of lineText.matchAll(MARKER)) {
    const list = match[1];
    if (!list) return true;
    for (const raw of list.split(",")) {
      // `-->` or `*/` written without a space would otherwise stick to the id.
      const id = raw.trim().replace(/[-./]+$/, "");
      if (id === finding.ruleId || id === local || id === finding.checkId) return true;
    }
  }
  return false;
}

/** Reads line texts of a file, from its added lines first and the whole head file only when needed. */
export class LineReader {
  private readonly added: AddedLineView;
  private head: Promise<string[] | null> | undefined;

  constructor(private readonly file: ChangedFile) {
    this.added = addedLineView(file);
  }

  async line(n: number): Promise<string | undefined> {
    if (n < 1) return undefined;
    const known = addedLineText(this.added, n);
    if (known !== undefined) return known;
    this.head ??= this.file
      .readHead()
      .then((text) => (text === null ? null : text.split(/\r?\n/)))
      .catch(() => null);
    const lines = await this.head;
    return lines?.[n - 1];
  }
}

/**
 * A marker on the finding's first line, or on the line above when that line is the marker's comment
 * alone. A marker trailing code (`a = "x"  # pr-sentinel-ignore`) speaks for its own line only:
 * otherwise silencing one line would silently take the next line's finding with it.
 */
export async function isSuppressedInline(finding: Finding, reader: LineReader): Promise<boolean> {
  const own = await reader.line(finding.startLine);
  if (own !== undefined && own.includes("pr-sentinel-ignore") && markerCovers(own, finding)) return true;
  const above = await reader.line(finding.startLine - 1);
  return above !== undefined && isStandaloneMarkerLine(above) && markerCovers(above, finding);
}

/**
 * Nothing but comment syntax before the marker (`#`, `//`, `/*`, `<!--`, `--`, `;`, `{/*`): no letter
 * or digit, so no code and no string that merely mentions the word.
 */
export function isStandaloneMarkerLine(text: string): boolean {
  const at = text.indexOf("pr-sentinel-ignore");
  return at >= 0 && !/[\p{L}\p{N}]/u.test(text.slice(0, at));
}

export interface AllowlistResult {
  readonly kept: Finding[];
  /** The findings a current entry silenced. */
  readonly allowedFindings: Finding[];
  readonly allowed: number;
  readonly expired: ExpiredAllowlistEntry[];
}

/** `today` is YYYY-MM-DD; an entry applies through its `expires` day and stops the day after. */
export function applyAllowlist(
  findings: readonly Finding[],
  allowlist: PrSentinelConfig["allowlist"],
  today: string,
): AllowlistResult {
  const current = allowlist.filter((e) => !e.expires || e.expires >= today);
  const expiredEntries = allowlist.filter((e) => e.expires && e.expires < today);
  const kept: Finding[] = [];
  const allowedFindings: Finding[] = [];
  for (const f of findings) (current.some((e) => f.fingerprint.startsWith(e.fingerprint)) ? allowedFindings : kept).push(f);
  // Every expired entry is reported, whether or not its finding is still there, so stale ignores get cleaned up.
  const expired = expiredEntries.map((e) => ({ fingerprint: e.fingerprint, reason: e.reason, expires: e.expires! }));
  return { kept, allowedFindings, allowed: allowedFindings.length, expired };
}

/**
 * Findings accepted as they were on the day a baseline was written (`pr-sentinel baseline`), so that
 * existing findings stop blocking while new ones still do. Read from the same revision as the config
 * (the base of a change), so a branch cannot baseline its own new findings. Exact fingerprints only:
 * the file is generated, and a set keeps 100,000 entries cheap to match.
 */
export interface Baseline {
  /** Where it was read, e.g. `.github/pr-sentinel-baseline.yml`. */
  readonly source: string;
  readonly fingerprints: ReadonlySet<string>;
}

export function applyBaseline(findings: readonly Finding[], baseline: Baseline | undefined): { kept: Finding[]; baselined: Finding[] } {
  if (!baseline || baseline.fingerprints.size === 0) return { kept: [...findings], baselined: [] };
  const kept: Finding[] = [];
  const baselined: Finding[] = [];
  for (const f of findings) (baseline.fingerprints.has(f.fingerprint) ? baselined : kept).push(f);
  return { kept, baselined };
}

/** The text of new-file line `n` if the change adds it: binary search, since added lines ascend. */
function addedLineText(view: AddedLineView, n: number): string | undefined {
  let lo = 0;
  let hi = view.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const line = view.lineNumber(mid);
    if (line === n) return view.lineText(mid);
    if (line < n) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
