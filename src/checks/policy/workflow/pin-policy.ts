/**
 * How a `uses:` reference must be pinned, by owner or `owner/repo` pattern (zizmor's
 * `unpinned-uses` policies). A tag or branch can be moved by whoever controls the action's
 * repository, so the default asks third parties for a full commit SHA; GitHub's own `actions/*` and
 * `github/*` are trusted with a ref (they are maintained by the platform that runs the workflow).
 *
 * Patterns: `*`, `owner`, `owner/*`, `owner/repo`, `owner/repo/sub/path`, with `*` standing for any
 * run of characters inside one segment (`my-org-*`). GitHub names are case-insensitive, so is the
 * match. The most specific pattern wins: the owner segment counts first (so `actions/*` beats
 * both `*` and a pattern with a wildcard owner and a literal repository), then the repository,
 * then the sub-path, then the number of literal characters; a configured pattern replaces a
 * default with the same text.
 */
import type { PolicyOptions } from "../options.js";

export type PinPolicy = PolicyOptions["pins"][string];

export const DEFAULT_PINS: Readonly<Record<string, PinPolicy>> = { "actions/*": "ref", "github/*": "ref", "*": "hash" };

export interface PinTarget {
  readonly owner: string;
  readonly repo: string;
  /** Sub-path inside the repository (`init` of `github/codeql-action/init`), `""` when none. */
  readonly path?: string;
}

export interface PinDecision {
  readonly policy: PinPolicy;
  /** The pattern that decided, for the message (`actions/*`, or `*` for the fallback). */
  readonly pattern: string;
}

interface CompiledPattern {
  readonly text: string;
  readonly policy: PinPolicy;
  readonly owner: string;
  readonly repo: string;
  /** `undefined`: any sub-path. */
  readonly path?: string;
  /** Compared element by element, higher is more specific. */
  readonly rank: readonly number[];
}

export class PinPolicyTable {
  private readonly patterns: readonly CompiledPattern[];

  constructor(pins: Readonly<Record<string, PinPolicy>> = {}) {
    const merged = new Map<string, PinPolicy>();
    for (const [text, policy] of Object.entries(DEFAULT_PINS)) merged.set(text, policy);
    for (const [text, policy] of Object.entries(pins)) merged.set(normalizePattern(text), policy);
    this.patterns = [...merged].flatMap(([text, policy]) => compile(text, policy) ?? []).sort(bySpecificity);
  }

  decide(target: PinTarget): PinDecision {
    const owner = target.owner.toLowerCase();
    const repo = target.repo.toLowerCase();
    const path = (target.path ?? "").toLowerCase();
    for (const p of this.patterns) {
      if (!wildcardMatch(p.owner, owner) || !wildcardMatch(p.repo, repo)) continue;
      if (p.path !== undefined && !wildcardMatch(p.path, path)) continue;
      return { policy: p.policy, pattern: p.text };
    }
    // Unreachable while the defaults hold `*`; kept so a table without it still answers.
    return { policy: "hash", pattern: "*" };
  }
}

/** One-shot form; audits build the table once per run instead. */
export function pinPolicyFor(target: PinTarget, pins: Readonly<Record<string, PinPolicy>> = {}): PinDecision {
  return new PinPolicyTable(pins).decide(target);
}

function normalizePattern(text: string): string {
  const trimmed = text.trim();
  // `owner` alone means every repository of the owner.
  return trimmed.includes("/") || trimmed === "*" ? trimmed : `${trimmed}/*`;
}

function compile(text: string, policy: PinPolicy): CompiledPattern | undefined {
  const segments = text.toLowerCase().split("/");
  if (segments.some((s) => s === "")) return undefined;
  if (segments.length === 1) {
    // Only `*` gets here (normalizePattern turned `owner` into `owner/*`).
    return { text, policy, owner: "*", repo: "*", rank: [0, 0, 0, 0] };
  }
  const [owner, repo, ...rest] = segments as [string, string, ...string[]];
  const path = rest.length > 0 ? rest.join("/") : undefined;
  const literal = (s: string | undefined) => (s !== undefined && !s.includes("*") ? 1 : 0);
  const literalChars = segments.join("").replaceAll("*", "").length;
  return { text, policy, owner, repo, path, rank: [literal(owner), literal(repo), path === undefined ? 0 : 1 + literal(path), literalChars] };
}

function bySpecificity(a: CompiledPattern, b: CompiledPattern): number {
  for (let i = 0; i < a.rank.length; i++) {
    const d = (b.rank[i] ?? 0) - (a.rank[i] ?? 0);
    if (d !== 0) return d;
  }
  // Equal rank: a stable, documented order rather than object-key order.
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

/**
 * `*` matches any run of characters (the pattern is matched within one segment, or a whole sub-path
 * for sub-path patterns). Greedy with one backtrack point: O(pattern × text), no regular expression
 * built from configuration.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
