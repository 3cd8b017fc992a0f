/**
 * `pr-sentinel scan PATH…`: limits a scan to some of the changed files, as `gitleaks dir PATH` and
 * `ggshield secret scan path` users expect. It filters the change, it does not widen it: a path that
 * the range does not touch is simply not scanned. Paths are relative to the directory the command
 * runs in (what a shell's tab completion gives), while the change's paths are relative to the
 * repository root; this module turns the one into the other.
 *
 * A plain path names a file or everything below a folder, compared exactly. A glob (`*`, `?`, `[`,
 * `{`, extglobs like `@(…)`) goes through the same matcher as `paths.ignore` (src/core/paths.ts:
 * RE2, so a hostile glob cannot stall the scan), rooted at the current directory: `'*.ts'` means
 * any `.ts` file below it.
 */
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { createPathMatcher, GlobError } from "../core/paths.js";
import { UsageError } from "./args.js";

const GLOB_CHARS = /[*?[\]{}]|[!@+]\(/;

/** `undefined` when no paths were given: everything passes. Throws `UsageError` for a path outside the repository or a glob that cannot be used. */
export function createScanPathFilter(paths: readonly string[], cwd: string, root: string): ((path: string) => boolean) | undefined {
  if (paths.length === 0) return undefined;
  // git names the root by its real path; so must the directory we start from (a symlinked /tmp).
  const start = realDirectory(cwd);
  const here = toRepoPath(relative(root, start));
  const exact: string[] = [];
  const globs: string[] = [];
  for (const raw of paths) {
    if (GLOB_CHARS.test(raw)) {
      globs.push(rootedGlob(raw, here));
      continue;
    }
    const inRepo = toRepoPath(relative(root, resolve(start, raw)));
    if (inRepo === ".." || inRepo.startsWith("../") || isAbsolute(inRepo)) {
      throw new UsageError(`${JSON.stringify(raw)} is outside the repository (${root})`);
    }
    // The root itself: the whole change.
    if (inRepo === "") return undefined;
    exact.push(inRepo);
  }
  let matchGlob: (path: string) => boolean = () => false;
  try {
    if (globs.length > 0) matchGlob = createPathMatcher(globs);
  } catch (error) {
    if (error instanceof GlobError) throw new UsageError(error.message);
    throw error;
  }
  return (path) => exact.some((p) => path === p || path.startsWith(`${p}/`)) || matchGlob(path);
}

/**
 * A glob relative to the current directory, as a glob relative to the root. `createPathMatcher`
 * matches a glob without a slash at any depth, so below a subdirectory it becomes `sub/**\/glob`.
 */
function rootedGlob(raw: string, here: string): string {
  const glob = raw.replace(/^(\.\/)+/, "");
  if (glob.split("/").includes("..")) throw new UsageError(`the glob ${JSON.stringify(raw)} contains "..": run the scan from a directory above what it should match`);
  if (here === "") return glob;
  return glob.includes("/") ? `${here}/${glob}` : `${here}/**/${glob}`;
}

function toRepoPath(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

function realDirectory(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return resolve(dir);
  }
}
