/**
 * `${{ … }}` expressions in workflow text: where they are, which contexts they read, and whether
 * what they produce can carry text that an outsider wrote (a pull request title, a branch name, a
 * comment). GitHub substitutes an expression's value into the text before the shell or script sees
 * it, so attacker text in a `run:` is attacker code.
 *
 * Parsed with GitHub's own `@actions/expressions` (its Lexer and Parser), then walked for context
 * reads (`github.event.pull_request.title`, `github.event.commits.*.message`, with `['x']` and `*`
 * indexes). Only reads whose value can reach the expression's result count as injected: results
 * of `contains()`, `startsWith()`, `endsWith()`, comparisons and `!` are booleans, and the left side
 * of `a && b` is only returned when falsy (empty). A text the parser rejects falls back to a
 * conservative scan for context paths outside string literals.
 *
 * Known limits: data laundered through `steps.*.outputs`, `needs.*.outputs` or `env` is not
 * followed (the audits see the step that wrote it only if it interpolates the event itself).
 * Repository names (`head.repo.full_name`) are not counted: GitHub restricts them to letters,
 * digits, `-`, `_` and `.`, which cannot break out of a shell word.
 */
import { data, Lexer, Parser } from "@actions/expressions";
import { Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Literal, Logical, Star, Unary, type Expr } from "@actions/expressions/ast";

export interface ExpressionSpan {
  /** Offset of `${{` in the text. */
  readonly start: number;
  /** Offset just past the closing `}}`. */
  readonly end: number;
  /** The text between the braces, as written. */
  readonly source: string;
}

export interface ContextRead {
  /** Lower-case dotted path, `*` for a filter or a computed index: `github.event.commits.*.message`. */
  readonly path: string;
  readonly segments: readonly string[];
  /** Whether the read can become (part of) the expression's value, rather than only steering a condition. */
  readonly reachesValue: boolean;
}

export interface ExpressionAnalysis {
  readonly reads: readonly ContextRead[];
  /** False when the parser rejected the text and the reads come from the fallback scan. */
  readonly parsed: boolean;
}

/** What kind of untrusted data a context is: text anyone can write, or an input whose caller decides. */
export type UntrustedKind = "attacker" | "input";

export interface UntrustedRead {
  readonly path: string;
  readonly kind: UntrustedKind;
  /** For messages: "a pull request title". */
  readonly what: string;
  /** For messages: "anyone who opens a pull request". */
  readonly who: string;
  /** Whether the text can hold a line break. */
  readonly multiline: boolean;
}

/**
 * Every `${{ … }}` of `text`, in order. A `}}` inside a quoted string (`'}}'`, with `''` as the
 * escaped quote) does not close the expression; an expression that is never closed ends the scan
 * (GitHub rejects such a value).
 */
export function findExpressions(text: string): ExpressionSpan[] {
  const spans: ExpressionSpan[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf("${{", from);
    if (start < 0) return spans;
    let inString = false;
    let close = -1;
    for (let i = start + 3; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 39 /* ' */) inString = !inString;
      else if (!inString && c === 125 /* } */ && text.charCodeAt(i + 1) === 125) {
        close = i;
        break;
      }
    }
    if (close < 0) return spans;
    spans.push({ start, end: close + 2, source: text.slice(start + 3, close) });
    from = close + 2;
  }
}

const CONTEXTS = ["github", "env", "vars", "job", "jobs", "steps", "runner", "secrets", "strategy", "matrix", "needs", "inputs"];
const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"].map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
const EXTENSION_FUNCTIONS = [...STATUS_FUNCTIONS, { name: "hashFiles", minArgs: 1, maxArgs: 255 }];
/** Functions whose result is a boolean or a hash: no argument text survives into it. */
const OPAQUE_FUNCTIONS = new Set(["contains", "startswith", "endswith", "hashfiles", "success", "failure", "always", "cancelled"]);

/** Workflows repeat the same few expressions in every job: parse each once (bounded, for hostile files). */
const cache = new Map<string, ExpressionAnalysis>();
const CACHE_LIMIT = 5000;

/** The contexts an expression (the text between `${{` and `}}`) reads. */
export function analyzeExpression(source: string): ExpressionAnalysis {
  const cached = cache.get(source);
  if (cached) return cached;
  const analysis = analyzeUncached(source);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, analysis);
  return analysis;
}

function analyzeUncached(source: string): ExpressionAnalysis {
  let ast: Expr | undefined;
  try {
    ast = new Parser(new Lexer(source).lex().tokens, CONTEXTS, EXTENSION_FUNCTIONS).parse();
  } catch {
    return { reads: scanReads(source), parsed: false };
  }
  const reads: ContextRead[] = [];
  if (ast) collectReads(ast, true, reads);
  return { reads, parsed: true };
}

/** Functions whose result is their argument's data, so `fromJSON(toJSON(x)).y` reads `x.y`. */
const PASS_THROUGH_FUNCTIONS = new Set(["fromjson", "tojson"]);

interface Visit {
  readonly node: Expr;
  readonly reaches: boolean;
  /** Property accesses applied to this node's value: `(a || b).number` visits `a` and `b` with `["number"]`. */
  readonly suffix: readonly string[];
}

function collectReads(root: Expr, rootReaches: boolean, out: ContextRead[]): void {
  // An explicit stack: the parser caps nesting at 50, but the walk need not rely on it.
  const stack: Visit[] = [{ node: root, reaches: rootReaches, suffix: [] }];
  while (stack.length > 0) {
    const { node, reaches, suffix } = stack.pop()!;
    if (node instanceof Literal || node instanceof Star) continue;
    if (node instanceof ContextAccess || node instanceof IndexAccess) {
      const chain = accessChain(node);
      if (chain.base) stack.push({ node: chain.base, reaches, suffix: [...chain.segments, ...suffix] });
      else {
        const segments = [...chain.segments, ...suffix];
        out.push({ path: segments.join("."), segments, reachesValue: reaches });
      }
      for (const index of chain.computed) stack.push({ node: index, reaches: false, suffix: [] });
    } else if (node instanceof Unary || node instanceof Binary) {
      const operands = node instanceof Unary ? [node.expr] : [node.left, node.right];
      for (const operand of operands) stack.push({ node: operand, reaches: false, suffix: [] });
    } else if (node instanceof Logical) {
      // `a && b` yields its first falsy operand or its last: only the last can be non-empty text.
      const and = node.operator.lexeme === "&&";
      node.args.forEach((arg, i) => stack.push({ node: arg, reaches: reaches && (!and || i === node.args.length - 1), suffix }));
    } else if (node instanceof Grouping) {
      stack.push({ node: node.group, reaches, suffix });
    } else if (node instanceof FunctionCall) {
      const name = node.functionName.lexeme.toLowerCase();
      const opaque = OPAQUE_FUNCTIONS.has(name);
      // Other functions (`format`, `join`) make a string: a property of it is nothing, so the suffix stops here.
      const passed = PASS_THROUGH_FUNCTIONS.has(name) ? suffix : [];
      for (const arg of node.args) stack.push({ node: arg, reaches: reaches && !opaque, suffix: passed });
    }
  }
}

interface AccessChain {
  readonly segments: string[];
  /** Set when the chain starts at something other than a context (`fromJSON(x).title`): that is walked instead. */
  readonly base?: Expr;
  /** Computed indexes (`x[steps.a.outputs.key]`), walked as conditions. */
  readonly computed: Expr[];
}

function accessChain(node: ContextAccess | IndexAccess): AccessChain {
  const reversed: string[] = [];
  const computed: Expr[] = [];
  let current: Expr = node;
  while (current instanceof IndexAccess) {
    const index: Expr = current.index;
    if (index instanceof Literal && index.literal instanceof data.StringData) reversed.push(index.literal.value.toLowerCase());
    else {
      reversed.push("*");
      if (!(index instanceof Star) && !(index instanceof Literal)) computed.push(index);
    }
    current = current.expr;
  }
  if (current instanceof ContextAccess) return { segments: [current.name.lexeme.toLowerCase(), ...reversed.reverse()], computed };
  return { segments: reversed.reverse(), base: current, computed };
}

/**
 * The fallback: context paths in the text with string literals removed. Every one counts as
 * reaching the value (the structure that would say otherwise is what failed to parse).
 */
function scanReads(source: string): ContextRead[] {
  const code = source.slice(0, 21_000).replace(/'(?:[^']|'')*'/g, "''");
  const reads: ContextRead[] = [];
  for (const match of code.matchAll(/[A-Za-z_][A-Za-z0-9_-]*(?:\s*(?:\.\s*(?:[A-Za-z0-9_-]+|\*)|\[\s*(?:''|\*|[0-9]+)\s*\]))*/g)) {
    const segments = match[0]
      .toLowerCase()
      .split(/\s*\.\s*|\s*\[\s*/)
      .map((s) => s.replace(/\s*\]$/, ""))
      .map((s) => (s === "''" || /^[0-9]+$/.test(s) ? "*" : s))
      .filter((s) => s.length > 0);
    if (segments.length > 0 && CONTEXTS.includes(segments[0]!)) reads.push({ path: segments.join("."), segments, reachesValue: true });
  }
  return reads;
}

interface UntrustedPattern {
  readonly segments: readonly string[];
  readonly kind: UntrustedKind;
  readonly what: string;
  readonly who: string;
  /** Whether the text can hold a line break (and so forge extra lines in `GITHUB_ENV`). */
  readonly multiline: boolean;
}

const PR = "anyone who opens a pull request";
const ISSUE = "anyone who opens an issue";
const COMMENT = "anyone who can comment";
const COMMIT = "anyone whose commit reaches the branch (a merged pull request's commits included)";
const RUN = "anyone whose pull request triggers the upstream workflow";

/** [path, what, who, multiline]: the fields outsiders write, from the webhook payloads' documentation. */
const ATTACKER_FIELDS: readonly (readonly [string, string, string, boolean])[] = [
  ["github.event.pull_request.title", "a pull request title", PR, true],
  ["github.event.pull_request.body", "a pull request description", PR, true],
  ["github.event.pull_request.head.ref", "a pull request's branch name", PR, false],
  ["github.event.pull_request.head.label", "a pull request's branch label", PR, false],
  ["github.event.pull_request.head.repo.description", "a fork's repository description", PR, true],
  ["github.event.pull_request.head.repo.homepage", "a fork's homepage", PR, false],
  ["github.event.pull_request.head.repo.default_branch", "a fork's default branch name", PR, false],
  ["github.head_ref", "a pull request's branch name", PR, false],
  ["github.event.issue.title", "an issue title", ISSUE, true],
  ["github.event.issue.body", "an issue body", ISSUE, true],
  ["github.event.comment.body", "a comment", COMMENT, true],
  ["github.event.review.body", "a pull request review", COMMENT, true],
  ["github.event.review_comment.body", "a review comment", COMMENT, true],
  ["github.event.discussion.title", "a discussion title", COMMENT, true],
  ["github.event.discussion.body", "a discussion body", COMMENT, true],
  ["github.event.pages.*.page_name", "a wiki page name", "anyone who can edit the wiki", false],
  ["github.event.commits.*.message", "a commit message", COMMIT, true],
  ["github.event.commits.*.author.name", "a commit author's name", COMMIT, false],
  ["github.event.commits.*.author.email", "a commit author's email", COMMIT, false],
  ["github.event.commits.*.committer.name", "a committer's name", COMMIT, false],
  ["github.event.commits.*.committer.email", "a committer's email", COMMIT, false],
  ["github.event.head_commit.message", "a commit message", COMMIT, true],
  ["github.event.head_commit.author.name", "a commit author's name", COMMIT, false],
  ["github.event.head_commit.author.email", "a commit author's email", COMMIT, false],
  ["github.event.head_commit.committer.name", "a committer's name", COMMIT, false],
  ["github.event.head_commit.committer.email", "a committer's email", COMMIT, false],
  ["github.event.merge_group.head_commit.message", "a commit message", PR, true],
  ["github.event.merge_group.head_commit.author.name", "a commit author's name", PR, false],
  ["github.event.merge_group.head_commit.author.email", "a commit author's email", PR, false],
  ["github.event.workflow_run.head_branch", "the triggering run's branch name", RUN, false],
  ["github.event.workflow_run.display_title", "the triggering run's title (a pull request title or commit message)", RUN, true],
  ["github.event.workflow_run.head_commit.message", "the triggering run's commit message", RUN, true],
  ["github.event.workflow_run.head_commit.author.name", "the triggering run's commit author", RUN, false],
  ["github.event.workflow_run.head_commit.author.email", "the triggering run's commit author's email", RUN, false],
  ["github.event.workflow_run.head_commit.committer.name", "the triggering run's committer", RUN, false],
  ["github.event.workflow_run.head_commit.committer.email", "the triggering run's committer's email", RUN, false],
  ["github.event.workflow_run.head_repository.description", "a fork's repository description", RUN, true],
  ["github.event.workflow_run.pull_requests.*.head.ref", "a pull request's branch name", RUN, false],
];

const INPUT = "whoever triggers the workflow or calls the action";

const PATTERNS: readonly UntrustedPattern[] = [
  ...ATTACKER_FIELDS.map(([path, what, who, multiline]): UntrustedPattern => ({ segments: path.split("."), kind: "attacker", what, who, multiline })),
  { segments: ["inputs", "*"], kind: "input", what: "an input", who: INPUT, multiline: true },
  { segments: ["github", "event", "inputs", "*"], kind: "input", what: "a workflow_dispatch input", who: INPUT, multiline: true },
];

/**
 * Whether a context path holds untrusted text: the field itself, something inside it, or an object
 * that contains it (`github.event`, `github.event.pull_request`, serialised by `toJSON` or
 * interpolated whole).
 */
export function classifyContext(path: string | readonly string[]): UntrustedRead | undefined {
  const segments = typeof path === "string" ? path.toLowerCase().split(".") : path;
  let container: UntrustedPattern | undefined;
  for (const pattern of PATTERNS) {
    const common = Math.min(pattern.segments.length, segments.length);
    let same = true;
    for (let i = 0; i < common && same; i++) same = pattern.segments[i] === "*" || segments[i] === "*" || pattern.segments[i] === segments[i];
    if (!same) continue;
    const joined = segments.join(".");
    if (segments.length >= pattern.segments.length) return { path: joined, kind: pattern.kind, what: pattern.what, who: pattern.who, multiline: pattern.multiline };
    // A whole object holding untrusted fields: attacker text wins over an input.
    if (!container || (container.kind === "input" && pattern.kind === "attacker")) container = pattern;
  }
  if (!container) return undefined;
  const joined = segments.join(".");
  const what = segments.length <= 2 && container.kind === "attacker" ? "the whole event payload (titles, bodies and branch names that outsiders write)" : `\`${joined}\` as a whole, which holds ${container.what}`;
  return { path: joined, kind: container.kind, what, who: container.who, multiline: container.multiline };
}

/** The untrusted reads of an expression that can become part of its value. */
export function untrustedValueReads(source: string): UntrustedRead[] {
  const out: UntrustedRead[] = [];
  for (const read of analyzeExpression(source).reads) {
    if (!read.reachesValue) continue;
    const untrusted = classifyContext(read.segments);
    if (untrusted) out.push(untrusted);
  }
  return out;
}
