import { minimatch } from "minimatch";

/**
 * `paths.ignore` globs, matched like .gitignore entries people expect: a pattern with a slash is
 * matched against the whole path; one without (`*.min.js`) against every path segment's basename;
 * a trailing `/` or `/**` means everything below a folder.
 */
export function createPathMatcher(globs: readonly string[]): (path: string) => boolean {
  const matchers = globs.map((raw) => {
    let glob = raw.startsWith("./") ? raw.slice(2) : raw;
    if (glob.startsWith("/")) glob = glob.slice(1);
    if (glob.endsWith("/")) glob = `${glob}**`;
    const anchored = glob.includes("/");
    const full = anchored ? glob : `**/${glob}`;
    const below = full.endsWith("/**") ? full : `${full}/**`;
    return (path: string) =>
      minimatch(path, full, { dot: true, nocomment: true }) || minimatch(path, below, { dot: true, nocomment: true });
  });
  return (path) => matchers.some((m) => m(path));
}
