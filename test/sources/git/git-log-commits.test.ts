import { afterEach, describe, expect, it } from "vitest";
import { addedLineView } from "../../../src/core/added-line-view.js";
import type { CommitChange } from "../../../src/core/history/types.js";
import { countLogCommits, gitLogCommits, LogSplitter, type PendingCommit } from "../../../src/sources/git/git-log-commits.js";
import { createFixtureRepo, GIT_TEST_ENV, type FixtureRepo } from "../../helpers/git-repo.js";
import { collect } from "../../helpers/collect.js";

let repo: FixtureRepo | undefined;
afterEach(() => repo?.cleanup());


const lines = (c: CommitChange, path: string) => {
  const file = c.files.find((f) => f.path === path);
  if (!file) return undefined;
  const view = addedLineView(file);
  return Array.from({ length: view.count }, (_, i) => `${view.lineNumber(i)}:${view.lineText(i)}`);
};

describe("gitLogCommits", () => {
  it("gives each commit's own added lines, oldest first, with sha and author date, root commit included", async () => {
    repo = createFixtureRepo();
    const c1 = repo.commitFiles("one", { "a.txt": "alpha\n" });
    repo.git("commit", "-q", "--allow-empty", "-m", "empty");
    const c3 = repo.commitFiles("three", { "a.txt": "alpha\nbeta\n", "dir/b.txt": "gamma\n" });
    repo.remove("a.txt");
    const c4 = repo.commit("four");
    const commits: CommitChange[] = [];
    const contents: (string | null)[] = [];
    for await (const c of gitLogCommits({ cwd: repo.dir, env: GIT_TEST_ENV, head: c4 })) {
      commits.push(c);
      // Whole files are read while the stream is open (the scan of that commit).
      if (c.sha === c3) contents.push(await c.files[0]!.readHead(), await c.files[0]!.readBase());
    }
    expect(commits.map((c) => c.sha)).toEqual([c1, repo.git("rev-parse", "HEAD~2"), c3, c4]);
    expect(commits[0]!.authorDate).toBe("2026-01-01T00:00:00Z".replace("Z", "+00:00"));
    expect(lines(commits[0]!, "a.txt")).toEqual(["1:alpha"]);
    expect(commits[1]!.files).toEqual([]);
    expect(lines(commits[2]!, "a.txt")).toEqual(["2:beta"]);
    expect(lines(commits[2]!, "dir/b.txt")).toEqual(["1:gamma"]);
    expect(commits[3]!.files.map((f) => [f.path, f.status])).toEqual([["a.txt", "removed"]]);
    expect(commits[2]!.files[0]!.path).toBe("a.txt");
    expect(contents).toEqual(["alpha\nbeta\n", "alpha\n"]);
  });

  it("leaves out commits reachable from the excluded one, and merges", async () => {
    repo = createFixtureRepo();
    const base = repo.commitFiles("base", { "a.txt": "a\n" });
    repo.git("checkout", "-q", "-b", "topic");
    const t1 = repo.commitFiles("t1", { "t.txt": "t\n" });
    repo.git("checkout", "-q", "main");
    const m1 = repo.commitFiles("m1", { "m.txt": "m\n" });
    repo.git("checkout", "-q", "topic");
    repo.git("merge", "-q", "--no-edit", "main");
    const t2 = repo.commitFiles("t2", { "t.txt": "t\nu\n" });
    const range = { cwd: repo.dir, env: GIT_TEST_ENV, head: t2, exclude: m1 };
    const commits = await collect(gitLogCommits(range));
    expect(commits.map((c) => c.sha)).toEqual([t1, t2]);
    expect(await countLogCommits(range)).toBe(2);
    expect(await countLogCommits({ ...range, exclude: base })).toBe(3);
  });

  it("follows renames without re-adding the file's lines", async () => {
    repo = createFixtureRepo();
    repo.commitFiles("one", { "old.txt": "one\ntwo\nthree\nfour\n" });
    repo.git("mv", "old.txt", "new.txt");
    const c2 = repo.commit("rename");
    const [, renamed] = await collect(gitLogCommits({ cwd: repo.dir, env: GIT_TEST_ENV, head: c2 }));
    expect(renamed!.files.map((f) => [f.path, f.previousPath, f.status, addedLineView(f).count])).toEqual([["new.txt", "old.txt", "renamed", 0]]);
  });

  it("cuts a commit larger than the cap, with a note, and goes on with the next", async () => {
    repo = createFixtureRepo();
    const big = Array.from({ length: 2000 }, (_, i) => `line ${i} ${"x".repeat(40)}`).join("\n");
    repo.commitFiles("big", { "big.txt": `${big}\n` });
    const c2 = repo.commitFiles("small", { "small.txt": "after\n" });
    const [first, second] = await collect(gitLogCommits({ cwd: repo.dir, env: GIT_TEST_ENV, head: c2, maxCommitBytes: 10_000 }));
    const count = addedLineView(first!.files[0]!).count;
    expect(count).toBeGreaterThan(100);
    expect(count).toBeLessThan(2000);
    expect(first!.notes?.[0]).toMatch(/^commit [0-9a-f]{7}: its diff is larger than/);
    expect(lines(second!, "small.txt")).toEqual(["1:after"]);
    expect(second!.notes).toBeUndefined();
  });

  it("reads commit headers split across chunks (many commits) and stops git when the consumer stops", async () => {
    repo = createFixtureRepo();
    for (let i = 0; i < 60; i++) repo.write(`f${i}.txt`, `${"y".repeat(3000)} ${i}\n`);
    let head = "";
    for (let i = 0; i < 60; i++) {
      repo.git("add", `f${i}.txt`);
      repo.git("commit", "-q", "-m", `c${i}`);
    }
    head = repo.git("rev-parse", "HEAD");
    const all = await collect(gitLogCommits({ cwd: repo.dir, env: GIT_TEST_ENV, head }));
    expect(all).toHaveLength(60);
    expect(all.map((c) => c.files[0]!.path)).toEqual(Array.from({ length: 60 }, (_, i) => `f${i}.txt`));
    let seen = 0;
    for await (const c of gitLogCommits({ cwd: repo.dir, env: GIT_TEST_ENV, head })) {
      expect(c.files).toHaveLength(1);
      if (++seen === 3) break;
    }
    expect(seen).toBe(3);
  });

  it("fails with git's complaint for a commit that does not exist", async () => {
    repo = createFixtureRepo();
    repo.commitFiles("one", { "a.txt": "a\n" });
    await expect(collect(gitLogCommits({ cwd: repo.dir, env: GIT_TEST_ENV, head: "0".repeat(40) }))).rejects.toThrow(/git log failed/);
  });
});

describe("LogSplitter", () => {
  const sha = (n: number) => String(n).repeat(40);
  const log = Buffer.from(
    [
      `\0${sha(1)} 2020-01-02T03:04:05+01:00`,
      "",
      "diff --git a/a.txt b/a.txt",
      "new file mode 100644",
      "--- /dev/null",
      "+++ b/a.txt",
      "@@ -0,0 +1,2 @@",
      "+one",
      "+two\0not a header",
      `\0${sha(2)} 2020-01-03T00:00:00Z`,
      `\0${sha(3)} 2020-01-04T00:00:00Z`,
      "",
      "diff --git a/b.txt b/b.txt",
      "new file mode 100644",
      "--- /dev/null",
      "+++ b/b.txt",
      "@@ -0,0 +1 @@",
      "+three",
      "",
    ].join("\n"),
  );
  const summary = (commits: PendingCommit[]) =>
    commits.map((c) => [c.sha[0], c.authorDate, ...c.files.map((f) => `${f.path}:${f.addedLines.map((l) => l.text).join(",")}`)].join(" "));
  const expected = ["1 2020-01-02T03:04:05+01:00 a.txt:one,two\0not a header", "2 2020-01-03T00:00:00Z", "3 2020-01-04T00:00:00Z b.txt:three"];

  it("gives the same commits at every split of the stream into two chunks", () => {
    for (let at = 0; at <= log.length; at++) {
      const commits: PendingCommit[] = [];
      const splitter = new LogSplitter(1 << 20, (c) => commits.push(c));
      splitter.write(log.subarray(0, at));
      splitter.write(log.subarray(at));
      splitter.end();
      expect(summary(commits), `split at ${at}`).toEqual(expected);
    }
  });

  it("gives the same commits fed one byte at a time", () => {
    const commits: PendingCommit[] = [];
    const splitter = new LogSplitter(1 << 20, (c) => commits.push(c));
    for (let i = 0; i < log.length; i++) splitter.write(log.subarray(i, i + 1));
    splitter.end();
    expect(summary(commits)).toEqual(expected);
  });

  it("refuses output that is not in its format", () => {
    const splitter = new LogSplitter(1 << 20, () => {});
    expect(() => splitter.write(Buffer.from("diff --git a/x b/x\n"))).toThrow(/before any commit header/);
    const bad = new LogSplitter(1 << 20, () => {});
    expect(() => bad.write(Buffer.from("\0not-a-sha date\n"))).toThrow(/unexpected commit header/);
  });
});
