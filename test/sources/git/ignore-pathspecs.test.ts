import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPathMatcher } from "../../../src/core/paths.js";
import { excludePathspecs, ignorePathspecs, includePathspecs } from "../../../src/sources/git/ignore-pathspecs.js";
import { gitEnvironment, SAFE_CONFIG } from "../../../src/sources/git/run-git.js";
import { GIT_TEST_ENV } from "../../helpers/git-repo.js";

/** Paths that tell the glob forms apart: depth, dotfiles, name prefixes, folders named like files. */
const PATHS = [
  "README.md",
  "vendor/a.js",
  "vendor/deep/b.min.js",
  "src/vendor/c.ts",
  "src/vendorx/d.ts",
  "xvendor/e.ts",
  "vendor.txt",
  "src/app.min.js",
  "src/app.js",
  "src/.env",
  ".github/workflows/ci.yml",
  "docs/guide/intro.md",
  "docs/readme.md",
  "test/fixtures/key.pem",
  "a/test/fixtures/key.pem",
  "lib/x1.ts",
  "lib/x2.ts",
  "lib/xa.ts",
  "lib/[x].ts",
  "dist/bundle.js",
  "build/out/dist/keep.js",
  "weird name/with space.txt",
  "café/naïve.txt",
  "star*file.txt",
];

/** Every glob form src/core/paths.ts documents, and the edges between them. */
const GLOBS = [
  "vendor",
  "vendor/",
  "/vendor",
  "./vendor/",
  "vendor/**",
  "**/vendor/**",
  "*.min.js",
  "**/*.min.js",
  "src/*.js",
  "src/**",
  "docs/**/*.md",
  "test/fixtures/",
  "**/test/fixtures/**",
  ".env",
  ".github/",
  "lib/x?.ts",
  "lib/x[0-9].ts",
  "lib/x[!0-9].ts",
  "lib/\\[x\\].ts",
  "{dist,build}/",
  "*.{md,txt}",
  "src/{app.js,vendor}",
  "weird name/",
  "café/*",
  "star\\*file.txt",
  "**",
  "*",
  "nothing-matches",
  "dist",
];

let repo: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "pr-sentinel-pathspecs-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: GIT_TEST_ENV });
  git("init", "-q", "-b", "main");
  for (const path of PATHS) {
    mkdirSync(join(repo, dirname(path)), { recursive: true });
    writeFileSync(join(repo, path), `${path}\n`);
  }
  git("add", "-A");
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

/** What git lists for these pathspecs, run as the source runs it (from a subdirectory, to test `top`). */
function gitLists(pathspecs: readonly string[]): string[] {
  const out = execFileSync("git", [...SAFE_CONFIG, "ls-files", "-z", "--full-name", "--", ...pathspecs], {
    cwd: join(repo, "src"),
    env: gitEnvironment({ ...GIT_TEST_ENV, GIT_ICASE_PATHSPECS: "1", GIT_LITERAL_PATHSPECS: "1" }),
  });
  return out.toString("utf8").split("\0").filter(Boolean).sort();
}

describe("ignorePathspecs", () => {
  it.each(GLOBS)("git and the engine's matcher agree on %j", (glob) => {
    const ignored = createPathMatcher([glob]);
    const { patterns, untranslated } = ignorePathspecs([glob]);
    expect(untranslated).toEqual([]);
    const expectedIgnored = PATHS.filter(ignored).sort();
    const expectedKept = PATHS.filter((p) => !ignored(p)).sort();
    // Only exclusions means "everything else"; an empty exclusion list is everything.
    expect(gitLists(excludePathspecs(patterns))).toEqual(expectedKept);
    if (patterns.length > 0) expect(gitLists(includePathspecs(patterns))).toEqual(expectedIgnored);
    else expect(expectedIgnored).toEqual([]);
  });

  it("agrees with the matcher on several globs at once", () => {
    const globs = ["vendor/", "*.min.js", "docs/**/*.md", ".env"];
    const ignored = createPathMatcher(globs);
    expect(gitLists(excludePathspecs(ignorePathspecs(globs).patterns))).toEqual(PATHS.filter((p) => !ignored(p)).sort());
  });

  it("leaves extglobs and unclosed brackets to the engine", () => {
    const { patterns, untranslated } = ignorePathspecs(["@(vendor|dist)/", "lib/+(x).ts", "lib/[x.ts", "vendor/"]);
    expect(untranslated).toEqual(["@(vendor|dist)/", "lib/+(x).ts", "lib/[x.ts"]);
    expect(patterns).toEqual(["vendor/**"]);
  });

  it("skips the empty glob and the root, which the matcher ignores too", () => {
    expect(ignorePathspecs(["", "/", "./"])).toEqual({ patterns: [], untranslated: [] });
  });

  it("bounds brace expansion", () => {
    const many = `{${Array.from({ length: 10 }, (_, i) => i).join(",")}}`;
    expect(ignorePathspecs([`${many}${many}${many}`]).untranslated).toHaveLength(1);
  });
});
