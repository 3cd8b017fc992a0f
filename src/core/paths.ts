import { Minimatch, type MinimatchOptions } from "minimatch";

const OPTIONS: MinimatchOptions = { dot: true, nocomment: true, nonegate: true };

/**
 * `paths.ignore` globs, matched like .gitignore entries people expect: a pattern with a slash is
 * matched against the whole path; one without (`*.min.js`, `vendor`) against every file or folder
 * name at any depth; a trailing `/` or `/**` means everything below a folder. Each glob is compiled
 * once, since it is matched against every changed file.
 */
export function createPathMatcher(globs: readonly string[]): (path: string) => boolean {
  const matchers = globs.flatMap((raw) => {
    let glob = raw.startsWith("./") ? raw.slice(2) : raw;
    if (glob.startsWith("/")) glob = glob.slice(1);
    if (glob.endsWith("/")) glob = `${glob}**`;
    if (glob === "") return [];
    const anchored = glob.includes("/");
    const full = anchored ? glob : `**/${glob}`;
    const below = full.endsWith("/**") ? full : `${full}/**`;
    return [new Minimatch(full, OPTIONS), new Minimatch(below, OPTIONS)];
  });
  return (path) => matchers.some((m) => m.match(path));
}
