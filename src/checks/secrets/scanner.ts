/**
 * Runs compiled rules over the lines a change adds, in the order rule.ts describes: keyword
 * prefilter, pattern, placeholders, entropy, validator. One pass of the keyword index over every
 * line decides which rules run where; most lines run no rule at all.
 *
 * Multiline rules (PEM blocks, JSON key files) run over runs of consecutive added lines joined with
 * "\n", and only in a window around the line where their keyword occurred, so a 40 MB added file
 * costs one prefilter pass, not one pass per multiline rule.
 */
import { arrayLineView } from "../../core/added-line-view.js";
import { PackedAddedLines } from "../../core/diff/packed-added-lines.js";
import { lastIndexAtMost } from "../../core/sorted-search.js";
import type { AddedLine, AddedLineView } from "../../core/types.js";
import type { CompiledRule } from "./compiled-rule.js";
import { isLongHex, shannonEntropy } from "./entropy.js";
import { keyIsFileName } from "./file-name-key.js";
import { KeywordIndex } from "./keyword-index.js";
import { isPlaceholder, looksLikeNonSecret } from "./placeholders.js";

export interface SecretMatch {
  readonly rule: CompiledRule;
  readonly secret: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface ScanLimits {
  /** Lines longer than this run only `strong` rules. */
  readonly maxLineLength: number;
  /** Time custom rules may take per file before the rest of the file is left to built-in rules. */
  readonly customRuleBudgetMs: number;
}

export interface FileScan {
  readonly matches: SecretMatch[];
  /** Lines over `maxLineLength` where a non-strong rule's keyword occurred: where skipping mattered. */
  readonly longLines: number;
  readonly customBudgetExceeded: boolean;
}

/** Lines before and after a multiline keyword hit that a multiline rule may look at. */
const WINDOW_BEFORE = 100;
const WINDOW_AFTER = 250;

interface PrefilterResult {
  readonly singleLine: LineHits[];
  readonly multiline: Map<CompiledRule, number[]>;
}

interface LineHits {
  readonly index: number;
  rules: CompiledRule[];
}

export class SecretScanner {
  private readonly index: KeywordIndex;
  private readonly rulesByKeyword: readonly (readonly CompiledRule[])[];
  private readonly order = new Map<CompiledRule, number>();
  /** Per-rule stamp of the last line it was queued for, so a rule with several hits runs once per line. */
  private readonly stamp: Int32Array;
  private currentStamp = 0;
  /** Reused for every line: allocating per line made the garbage collector a tenth of the scan. */
  private readonly lineRules: CompiledRule[] = [];
  /** Rules limited to some paths (`SecretRule.paths`), and those of them that run on every line of their files. */
  private readonly pathRules: CompiledRule[] = [];
  private readonly everyLineRules: CompiledRule[] = [];
  /** Rules that stay out of some paths (`SecretRule.exceptPaths`). */
  private readonly exceptPathRules: CompiledRule[] = [];
  /** Per rule (by scanning order): 1 when the current file's path keeps it out, so no hit queues it. */
  private readonly excludedFlag: Uint8Array;
  /** The path the excluded rules were last worked out for (derived lines rescan the same file). */
  private excludedFor: { readonly path: string | undefined; readonly rules: ReadonlySet<CompiledRule> } | undefined;
  private readonly onHit = (keyword: number): void => {
    for (const rule of this.rulesByKeyword[keyword]!) {
      const n = this.order.get(rule)!;
      if (this.excludedFlag[n] === 0 && this.stamp[n] !== this.currentStamp) {
        this.stamp[n] = this.currentStamp;
        this.lineRules.push(rule);
      }
    }
  };

  constructor(
    rules: readonly CompiledRule[],
    private readonly limits: ScanLimits,
  ) {
    // Specific rules first: when a generic rule finds the same value on a line, the specific one wins.
    const sorted = [...rules].sort((a, b) => rank(a) - rank(b));
    sorted.forEach((rule, n) => this.order.set(rule, n));
    this.stamp = new Int32Array(sorted.length).fill(-1);
    this.excludedFlag = new Uint8Array(sorted.length);
    const keywords: string[] = [];
    const byKeyword = new Map<string, CompiledRule[]>();
    for (const rule of sorted) {
      if (rule.paths) this.pathRules.push(rule);
      if (rule.exceptPaths) this.exceptPathRules.push(rule);
      if (rule.keywords.length === 0) {
        if (!rule.paths || rule.multiline) throw new Error(`rule ${rule.id} has no keywords`);
        this.everyLineRules.push(rule);
        continue;
      }
      for (const keyword of new Set(rule.keywords)) {
        let list = byKeyword.get(keyword);
        if (!list) {
          byKeyword.set(keyword, (list = []));
          keywords.push(keyword);
        }
        list.push(rule);
      }
    }
    this.index = new KeywordIndex(keywords);
    this.rulesByKeyword = keywords.map((k) => byKeyword.get(k)!);
  }

  /**
   * `genericRules: false` leaves out rules below `high` confidence (built-in generic rules), e.g. in
   * API descriptions. `path` is the file's path: rules with `paths` run only where it matches (and
   * not at all without a path).
   */
  scan(input: AddedLineView | readonly AddedLine[], { genericRules = true, path }: { genericRules?: boolean; path?: string } = {}): FileScan {
    const lines = Array.isArray(input) ? arrayLineView(input as readonly AddedLine[]) : (input as AddedLineView);
    // Rules the path keeps out are never queued by the prefilter: no per-line filtering for them.
    const excluded = this.excludedRules(path);
    this.excludedFlag.fill(0);
    for (const rule of excluded) this.excludedFlag[this.order.get(rule)!] = 1;
    const { singleLine, multiline } = this.prefilter(lines);
    const keep = (r: CompiledRule) => genericRules || r.custom || r.confidence === "high";
    const everyLine = this.everyLineRules.filter((rule) => !excluded.has(rule) && keep(rule));
    if (everyLine.length > 0) addEveryLineRules(singleLine, everyLine, lines.count, this.order);
    if (!genericRules) {
      for (const hit of singleLine) hit.rules = hit.rules.filter(keep);
      for (const rule of multiline.keys()) if (!keep(rule)) multiline.delete(rule);
    }
    const matches: SecretMatch[] = [];
    /** Spans already claimed per line index, so a generic rule does not report a specific rule's find again. */
    const claimed = new Map<number, Span[]>();
    for (const [rule, ruleHits] of multiline) this.scanMultiline(rule, ruleHits, lines, matches, claimed);
    const rest = this.scanSingleLines(singleLine, lines, matches, claimed);
    return { matches, ...rest };
  }

  /** Rules limited to other paths (`paths`), and rules kept out of this one (`exceptPaths`). */
  private excludedRules(path: string | undefined): ReadonlySet<CompiledRule> {
    if (this.excludedFor && this.excludedFor.path === path) return this.excludedFor.rules;
    const rules = new Set(this.pathRules.filter((rule) => path === undefined || !rule.paths!.test(path)));
    if (path !== undefined) for (const rule of this.exceptPathRules) if (rule.exceptPaths!.test(path)) rules.add(rule);
    this.excludedFor = { path, rules };
    return rules;
  }

  /** Which single-line rules run on which lines, and where each multiline rule's keywords occur. */
  private prefilter(lines: AddedLineView) {
    const found = { singleLine: [] as LineHits[], multiline: new Map<CompiledRule, number[]>() };
    if (lines instanceof PackedAddedLines) {
      this.prefilterPacked(lines, found);
      return found;
    }
    for (let i = 0; i < lines.count; i++) {
      this.currentStamp++;
      if (this.lineRules.length > 0) this.lineRules.length = 0;
      this.index.scan(lines.lineText(i), this.onHit);
      this.collectLineRules(i, found);
    }
    return found;
  }

  /**
   * The same over a file's packed text in one pass: no string per line is made, and keyword hits
   * map to lines through the line start offsets (keywords never contain a line break, so no hit
   * spans two lines).
   */
  private prefilterPacked(lines: PackedAddedLines, found: PrefilterResult): void {
    let line = -1;
    let nextStart = 0;
    this.index.scan(lines.text, (keyword, end) => {
      if (end > nextStart) {
        if (line >= 0) this.collectLineRules(line, found);
        line = lines.lineIndexAt(end - 1);
        nextStart = lines.lineStart(line + 1);
        this.currentStamp++;
        if (this.lineRules.length > 0) this.lineRules.length = 0;
      }
      this.onHit(keyword);
    });
    if (line >= 0) this.collectLineRules(line, found);
  }

  private collectLineRules(i: number, { singleLine, multiline }: PrefilterResult): void {
    if (this.lineRules.length === 0) return;
    const single: CompiledRule[] = [];
    for (const rule of this.lineRules) {
      if (rule.multiline) {
        let list = multiline.get(rule);
        if (!list) multiline.set(rule, (list = []));
        list.push(i);
      } else single.push(rule);
    }
    if (single.length > 0) singleLine.push({ index: i, rules: single.sort((a, b) => this.order.get(a)! - this.order.get(b)!) });
  }

  private scanSingleLines(
    hits: readonly LineHits[],
    lines: AddedLineView,
    matches: SecretMatch[],
    claimed: Map<number, Span[]>,
  ): Omit<FileScan, "matches"> {
    let longLines = 0;
    let customMs = 0;
    let customBudgetExceeded = false;
    for (const { index, rules } of hits) {
      const line = { line: lines.lineNumber(index), text: lines.lineText(index) };
      const long = line.text.length > this.limits.maxLineLength;
      if (long && rules.some((r) => !r.strong)) longLines++;
      for (const rule of rules) {
        if ((long && !rule.strong) || (rule.custom && customBudgetExceeded)) continue;
        const started = rule.custom ? performance.now() : 0;
        const candidates = rule.find(line.text);
        if (rule.custom) {
          customMs += performance.now() - started;
          if (customMs > this.limits.customRuleBudgetMs) customBudgetExceeded = true;
        }
        for (const { secret, index: at } of candidates) {
          const span = { start: at, end: at + secret.length };
          if (isClaimed(claimed, index, span) || !accepts(rule, secret, line.text)) continue;
          // A value with no vendor prefix is a credential by its key name only: not under a file name.
          if (rule.redactPrefix === undefined && keyIsFileName(line.text, at)) continue;
          claim(claimed, index, span);
          matches.push({ rule, secret, startLine: line.line, endLine: line.line });
        }
      }
    }
    return { longLines, customBudgetExceeded };
  }

  private scanMultiline(
    rule: CompiledRule,
    hitLines: readonly number[],
    lines: AddedLineView,
    matches: SecretMatch[],
    claimed: Map<number, Span[]>,
  ): void {
    let coveredUntil = -1;
    for (const hit of hitLines) {
      if (hit <= coveredUntil) continue;
      // The window stays inside the run of consecutive added lines that contains the hit.
      let start = hit;
      while (start > 0 && hit - start < WINDOW_BEFORE && start - 1 > coveredUntil && isNext(lines, start - 1)) start--;
      let end = hit;
      while (end + 1 < lines.count && end - hit < WINDOW_AFTER && isNext(lines, end)) end++;
      coveredUntil = end;
      const offsets: number[] = [];
      const parts: string[] = [];
      let offset = 0;
      for (let i = start; i <= end; i++) {
        const text = lines.lineText(i);
        offsets.push(offset);
        parts.push(text);
        offset += text.length + 1;
      }
      const text = parts.join("\n");
      for (const { secret, index } of rule.find(text)) {
        const first = start + lastIndexAtMost(offsets, index);
        const last = start + lastIndexAtMost(offsets, index + Math.max(0, secret.length - 1));
        if (!accepts(rule, secret, lines.lineText(first))) continue;
        // A multiline secret claims its lines whole: anything a single-line rule finds there is part of it.
        for (let i = first; i <= last; i++) claim(claimed, i, { start: 0, end: Number.MAX_SAFE_INTEGER });
        matches.push({ rule, secret, startLine: lines.lineNumber(first), endLine: lines.lineNumber(last) });
      }
    }
  }
}

/**
 * Puts keywordless path rules on every line of their file, keeping `hits` in line order and each
 * line's rules in scanning order. Only files a path rule names get here, and those are small formats.
 */
function addEveryLineRules(hits: LineHits[], rules: readonly CompiledRule[], count: number, order: ReadonlyMap<CompiledRule, number>): void {
  const byIndex = new Map(hits.map((hit) => [hit.index, hit]));
  const all: LineHits[] = [];
  for (let index = 0; index < count; index++) {
    const hit = byIndex.get(index);
    const merged = hit ? [...hit.rules, ...rules] : [...rules];
    all.push({ index, rules: merged.sort((a, b) => order.get(a)! - order.get(b)!) });
  }
  hits.length = 0;
  for (const hit of all) hits.push(hit);
}

function rank(rule: CompiledRule): number {
  const confidence = rule.confidence === "high" ? 0 : rule.confidence === "medium" ? 1 : 2;
  return (rule.custom ? 3 : 0) + confidence;
}

function isNext(lines: AddedLineView, i: number): boolean {
  return lines.lineNumber(i + 1) === lines.lineNumber(i) + 1;
}


/** Offsets of a secret within its line, end exclusive. */
interface Span {
  readonly start: number;
  readonly end: number;
}

function isClaimed(claimed: Map<number, Span[]>, line: number, span: Span): boolean {
  const list = claimed.get(line);
  return list !== undefined && list.some((c) => c.start < span.end && span.start < c.end);
}

function claim(claimed: Map<number, Span[]>, line: number, span: Span): void {
  const list = claimed.get(line);
  if (list) list.push(span);
  else claimed.set(line, [span]);
}

/** Steps 3 to 5 of rule.ts: placeholders, entropy, validator; plus non-secret data for generic rules. */
export function accepts(rule: CompiledRule, secret: string, line: string): boolean {
  if (isPlaceholder(secret, { allow: rule.allow, prefix: rule.redactPrefix })) return false;
  // Custom rules have no hex threshold: the one their author set applies to every value.
  const threshold = rule.minEntropyHex !== undefined && isLongHex(secret) ? rule.minEntropyHex : rule.minEntropy;
  if (threshold !== undefined && shannonEntropy(secret) < threshold) return false;
  if (rule.confidence !== "high" && looksLikeNonSecret(secret, line)) return false;
  if (rule.validate) {
    try {
      if (!rule.validate(secret)) return false;
    } catch {
      return false;
    }
  }
  return true;
}
