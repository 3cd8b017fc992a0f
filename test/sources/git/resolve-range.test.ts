import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveScanRange } from "../../../src/sources/git/resolve-range.js";
import { createFixtureRepo, GIT_TEST_ENV, type FixtureRepo } from "../../helpers/git-repo.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function fixture(): FixtureRepo {
  const repo = createFixtureRepo();
  cleanups.push(() => repo.cleanup());
  return repo;
}

describe("resolveScanRange", () => {
  it("says a repository without commits has none, and points at --staged", async () => {
    const repo = fixture();
    await expect(resolveScanRange({}, { cwd: repo.dir, env: GIT_TEST_ENV })).rejects.toThrow(/no commits yet.*--staged/);
  });

  it("names a shallow clone as the reason a ref is missing", async () => {
    const origin = fixture();
    origin.commitFiles("one", { "a.txt": "1\n" });
    origin.commitFiles("two", { "a.txt": "2\n" });
    const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-shallow-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync("git", ["clone", "-q", "--depth", "1", `file://${origin.dir}`, dir], { env: GIT_TEST_ENV, stdio: "ignore" });
    await expect(resolveScanRange({ base: "HEAD~1" }, { cwd: dir, env: GIT_TEST_ENV })).rejects.toThrow(/unknown ref "HEAD~1".*shallow clone/);
  });

  it("gives no shallow hint in a full clone", async () => {
    const repo = fixture();
    repo.commitFiles("one", { "a.txt": "1\n" });
    await expect(resolveScanRange({ base: "nope" }, { cwd: repo.dir, env: GIT_TEST_ENV })).rejects.toThrow(/^unknown ref "nope": no commit has that name in this repository$/);
  });

  it("says why the base is the one it is, without the report having to read the display name", async () => {
    const empty = fixture();
    const git = (repo: FixtureRepo) => ({ cwd: repo.dir, env: GIT_TEST_ENV });
    expect((await resolveScanRange({ staged: true }, git(empty))).baseChoice).toEqual({ by: "no-commits" });
    const repo = fixture();
    repo.commitFiles("one", { "a.txt": "1\n" });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commitFiles("two", { "a.txt": "2\n" });
    expect((await resolveScanRange({}, git(repo))).baseChoice).toEqual({ by: "merge-base", branch: "main" });
    expect((await resolveScanRange({ base: "main" }, git(repo))).baseChoice).toEqual({ by: "flag" });
    expect((await resolveScanRange({ staged: true }, git(repo))).baseChoice).toEqual({ by: "staged-head" });
    expect((await resolveScanRange({ staged: true, base: "main" }, git(repo))).baseChoice).toEqual({ by: "flag" });
    expect((await resolveScanRange({ all: true }, git(repo))).baseChoice).toEqual({ by: "all" });
  });
});
