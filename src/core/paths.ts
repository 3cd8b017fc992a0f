import { Minimatch, type MinimatchOptions } from "minimatch";
import RE2 from "re2";

const OPTIONS: MinimatchOptions = { dot: true, nocomment: true, nonegate: true };

/**
 * The lookaheads minimatch adds so that `*` and `**` never match a `.` or `..` segment. Git and
 * GitHub paths have no such segments, so dropping them changes no result, and what remains is a
 * regular expression RE2 can run.
 */
const DOT_SEGMENT_GUARDS = [
  String.raw`(?!(?:\/|^)(?:\.{1,2})($|\/))`,
  String.raw`(?!(?:^|\/)\.\.?(?:$|\/))`,
];

/**
 * `paths.ignore` globs, matched like .gitignore entries people expect: a pattern with a slash is
 * matched against the whole path; one without (`*.min.js`, `vendor`) against every file or folder
 * name at any depth; a trailing `/` or `/**` means everything below a folder. Each glob is compiled
 * once, since it is matched against every changed file.
 *
 * Globs come from repository config and paths from pull requests, and minimatch's own regular
 * expressions backtrack: `*a*a*a*a*b` against a long file name takes seconds per file, and on a
 * shared app server a blocked event loop stalls every installation. So each glob is compiled by
 * minimatch and run by RE2, in time linear in the path. Throws `GlobError` for a glob RE2 cannot run
 * (negated extglobs `!(…)`); the config schema rejects those first with the same message.
 */
/**
 * Compiled matchers by glob list: compiling is the cost (~12 ms for the default test-path globs)
 * and a history scan runs the engine hundreds of times with the same lists. Bounded, oldest out.
 */
const MATCHER_CACHE = new Map<string, (path: string) => boolean>();
const MATCHER_CACHE_SIZE = 64;

export function createPathMatcher(globs: readonly string[]): (path: string) => boolean {
  const key = globs.join("\u0000");
  const cached = MATCHER_CACHE.get(key);
  if (cached) return cached;
  const made = compilePathMatcher(globs);
  if (MATCHER_CACHE.size >= MATCHER_CACHE_SIZE) MATCHER_CACHE.delete(MATCHER_CACHE.keys().next().value!);
  MATCHER_CACHE.set(key, made);
  return made;
}

/**
 * What one config glob means, as two globs: `full` (the path itself; `**\/` in front when the glob
 * has no `/`, so it matches a name anywhere) and `below` (everything under it). Undefined for an
 * empty glob. The matcher here and git's pathspecs (sources/git/ignore-pathspecs.ts) both start
 * from this, so they cannot drift apart.
 */
export function matcherGlobs(raw: string): { readonly glob: string; readonly full: string; readonly below: string } | undefined {
  let glob = raw.startsWith("./") ? raw.slice(2) : raw;
  if (glob.startsWith("/")) glob = glob.slice(1);
  if (glob.endsWith("/")) glob = `${glob}**`;
  if (glob === "") return undefined;
  const full = glob.includes("/") ? glob : `**/${glob}`;
  return { glob, full, below: full.endsWith("/**") ? full : `${full}/**` };
}

function compilePathMatcher(globs: readonly string[]): (path: string) => boolean {
  const matchers = globs.flatMap((raw) => {
    const forms = matcherGlobs(raw);
    return forms ? [globSource(forms.full, raw), globSource(forms.below, raw)] : [];
  });
  const batches = batchSources(matchers.filter((m): m is string => m !== undefined));
  return (path) => batches.some((m) => m.test(path));
}

/**
 * Each call into RE2 crosses into native code, so per path one call per batch of globs, not one per
 * glob (40 default test-path globs against 3,800 files cost 95 ms one by one). Batches stay small:
 * one alternation of hundreds of globs is slower and can exceed RE2's size limit.
 */
const GLOBS_PER_BATCH = 24;

function batchSources(sources: readonly string[]): { test(path: string): boolean }[] {
  const batches: { test(path: string): boolean }[] = [];
  for (let i = 0; i < sources.length; i += GLOBS_PER_BATCH) {
    const group = sources.slice(i, i + GLOBS_PER_BATCH);
    try {
      batches.push(new RE2(group.map((source) => `(?:${source})`).join("|"), "u"));
    } catch {
      // Too large together: each alone compiled already (globSource), so fall back to one by one.
      for (const source of group) batches.push(new RE2(source, "u"));
    }
  }
  return batches;
}

export class GlobError extends Error {}

/** Why `glob` cannot be used as a path glob, or `undefined` when it can. */
export function globProblem(glob: string): string | undefined {
  try {
    createPathMatcher([glob]);
    return undefined;
  } catch (error) {
    if (error instanceof GlobError) return error.message;
    throw error;
  }
}

/** The RE2 source of one glob (checked to compile alone); `undefined` for a glob that matches nothing. */
function globSource(glob: string, shown: string): string | undefined {
  const regex = new Minimatch(glob, OPTIONS).makeRe();
  // minimatch gives `false` for a pattern that can match nothing.
  if (regex === false) return undefined;
  let source = regex.source;
  for (const guard of DOT_SEGMENT_GUARDS) source = source.split(guard).join("");
  if (/\(\?[=!<]/.test(source)) {
    throw new GlobError(`the glob ${JSON.stringify(shown)} uses a negated pattern \`!(…)\`, which is not supported; list what to ignore instead`);
  }
  try {
    new RE2(source, "u");
    return source;
  } catch (error) {
    throw new GlobError(`the glob ${JSON.stringify(shown)} cannot be used: ${(error as Error).message.split("\n")[0]}`);
  }
}
