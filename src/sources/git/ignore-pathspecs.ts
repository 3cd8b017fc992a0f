/**
 * `paths.ignore` globs as git pathspecs, so that git leaves ignored files out of the diff it
 * writes: an ignored 100 MB `vendor/` tree is then neither diffed, piped nor parsed.
 *
 * The globs mean what src/core/paths.ts says (the engine's matcher stays the judge): a glob with a
 * `/` is matched from the root, one without against every name at any depth, and a glob that names
 * a folder covers everything below it. Git's `:(glob)` magic has the same `*`, `?`, `[…]` and `**`
 * rules (wildmatch; `*` matches a leading dot as `dot: true` does), so each glob becomes its two
 * matcher forms, `full` and `full/**`, with `**\/` in front when it has no `/`. Braces are expanded
 * here (git has none). Extglobs (`@(…)`, `+(…)`, `*(…)`, `?(…)`) have no git equivalent: those
 * globs are left to the engine, which still filters every file it is given.
 *
 * `top` anchors every pathspec at the repository root whatever directory git runs in; the
 * environment that could change pathspec meaning (GIT_LITERAL_PATHSPECS, GIT_ICASE_PATHSPECS…)
 * is removed by gitEnvironment.
 */
import { matcherGlobs } from "../../core/paths.js";
import { braceExpand } from "minimatch";

export interface IgnorePathspecs {
  /** Pathspec bodies (no magic prefix) that together match what the translated globs ignore. */
  readonly patterns: readonly string[];
  /** Globs git cannot express; the engine's matcher handles them. */
  readonly untranslated: readonly string[];
}

const EXTGLOB = /[@+*?!]\(/;
/** Brace expansion of hostile config is bounded: past this many forms a glob is left to the engine. */
const MAX_FORMS_PER_GLOB = 64;

export function ignorePathspecs(globs: readonly string[]): IgnorePathspecs {
  const patterns = new Set<string>();
  const untranslated: string[] = [];
  for (const raw of globs) {
    const forms = matcherForms(raw);
    if (forms === undefined) untranslated.push(raw);
    else for (const form of forms) patterns.add(form);
  }
  return { patterns: [...patterns], untranslated };
}

/** `git diff … -- <these>`: everything except what the patterns match. */
export function excludePathspecs(patterns: readonly string[]): string[] {
  if (patterns.length === 0) return [];
  // Exclusions alone would apply to the directory git runs in; `:/` makes the rest the whole tree.
  return [":/", ...patterns.map((p) => `:(top,exclude,glob)${p}`)];
}

/** `git diff --name-only … -- <these>`: only what the patterns match. */
export function includePathspecs(patterns: readonly string[]): string[] {
  return patterns.map((p) => `:(top,glob)${p}`);
}

/** The globs `createPathMatcher` compiles for `raw`, brace-expanded; `undefined` when git cannot express them. */
function matcherForms(raw: string): string[] | undefined {
  // Anchoring is decided before braces are expanded, as the matcher does: `{a,b/c}` is anchored in both forms.
  const globs = matcherGlobs(raw);
  if (!globs) return [];
  if (EXTGLOB.test(globs.glob)) return undefined;
  const forms = [...braceExpand(globs.full), ...braceExpand(globs.below)];
  if (forms.length > MAX_FORMS_PER_GLOB * 2) return undefined;
  // A bracket git's wildmatch would read differently (unclosed) is left to the engine.
  if (forms.some((f) => f === "" || hasUnclosedBracket(f))) return undefined;
  return forms;
}

function hasUnclosedBracket(glob: string): boolean {
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\") i++;
    else if (c === "[") {
      // `[]…]` and `[!]…]` take the first `]` as a member, in both wildmatch and minimatch.
      let j = i + 1;
      if (glob[j] === "!" || glob[j] === "^") j++;
      if (glob[j] === "]") j++;
      const close = glob.indexOf("]", j);
      if (close === -1) return true;
      i = close;
    }
  }
  return false;
}
