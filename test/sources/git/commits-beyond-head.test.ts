/**
 * The range's commits read only where a later commit changed a file again: real git repositories,
 * each planned path checked against what a full `git log -p` would have given for it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { addedLineView } from "../../../src/core/added-line-view.js";
import type { CommitChange } from "../../../src/core/history/types.js";
import { commitsBeyondHead, parseRawLog, planCommitsBeyondHead } from "../../../src/sources/git/commits-beyond-head.js";
import { createFixtureRepo, GIT_TEST_ENV, type FixtureRepo } from "../../helpers/git-repo.js";
import { collect } from "../../helpers/collect.js";

let repo: FixtureRepo | undefined;
afterEach(() => repo?.cleanup());


/** Each yielded commit as `[sha, [path: added lines…]]`. */
function shape(commits: readonly CommitChange[]): [string, Record<string, string[]>][] {
  return commits.map((c) => [
    c.sha,
    Object.fromEntries(
      c.files.map((f) => {
        const view = addedLineView(f);
        return [f.path, Array.from({ length: view.count }, (_, i) => view.lineText(i))];
      }),
    ),
  ]);
}

function setUp(): { base: string; git: { cwd: string; env: NodeJS.ProcessEnv } } {
  repo = createFixtureRepo();
  const base = repo.commitFiles("start", { "README.md": "# project\n" });
  return { base, git: { cwd: repo.dir, env: GIT_TEST_ENV } };
}

describe("planCommitsBeyondHead", () => {
  it("plans nothing to read when every file a commit wrote is the head's", async () => {
    const { base, git } = setUp();
    const c1 = repo!.commitFiles("one", { "a.txt": "a\n" });
    const c2 = repo!.commitFiles("two", { "b.txt": "b\n" });
    const plan = await planCommitsBeyondHead({ ...git, base, head: c2, maxCommits: 250 });
    expect(plan.logPaths).toEqual([]);
    expect(plan.commits.map((c) => [c.sha, [...c.paths]])).toEqual([[c1, []], [c2, []]]);
    const commits = await collect(commitsBeyondHead(plan, { ...git, base, head: c2 }));
    expect(shape(commits)).toEqual([[c1, {}], [c2, {}]]);
  });

  it("reads a file that a later commit changed or deleted, from the commit that wrote it", async () => {
    const { base, git } = setUp();
    const c1 = repo!.commitFiles("add", { "keys.env": "TOKEN=first\n", "kept.txt": "kept\n" });
    const c2 = repo!.commitFiles("change", { "keys.env": "TOKEN=second\n", "gone.txt": "gone soon\n" });
    repo!.remove("gone.txt");
    const c3 = repo!.commit("delete");
    const plan = await planCommitsBeyondHead({ ...git, base, head: c3, maxCommits: 250 });
    expect(plan.commits.map((c) => [...c.paths].sort())).toEqual([["keys.env"], ["gone.txt"], []]);
    const commits = await collect(commitsBeyondHead(plan, { ...git, base, head: c3 }));
    expect(shape(commits)).toEqual([
      [c1, { "keys.env": ["TOKEN=first"] }],
      [c2, { "gone.txt": ["gone soon"] }],
      [c3, {}],
    ]);
  });

  it("reads a renamed file with its old path, so moved lines are not added lines", async () => {
    const { base, git } = setUp();
    const body = "one\ntwo\nthree\nfour\nfive\nsix\n";
    const c1 = repo!.commitFiles("add", { "old.txt": body });
    repo!.git("mv", "old.txt", "new.txt");
    repo!.write("new.txt", `${body}seven\n`);
    const c2 = repo!.commit("rename and edit");
    const c3 = repo!.commitFiles("edit again", { "new.txt": `${body}seven\neight\n` });
    const plan = await planCommitsBeyondHead({ ...git, base, head: c3, maxCommits: 250 });
    expect([...plan.logPaths].sort()).toEqual(["new.txt", "old.txt"]);
    const commits = await collect(commitsBeyondHead(plan, { ...git, base, head: c3 }));
    expect(shape(commits)).toEqual([
      [c1, { "old.txt": body.trimEnd().split("\n") }],
      [c2, { "new.txt": ["seven"] }],
      [c3, {}],
    ]);
  });

  it("never reads the paths the scan leaves out", async () => {
    const { base, git } = setUp();
    repo!.commitFiles("add", { "vendor/lib.js": "v1\n", "src/a.ts": "a1\n" });
    const c2 = repo!.commitFiles("change", { "vendor/lib.js": "v2\n", "src/a.ts": "a2\n" });
    const plan = await planCommitsBeyondHead({ ...git, base, head: c2, maxCommits: 250, skip: (p) => p.startsWith("vendor/") });
    expect(plan.logPaths).toEqual(["src/a.ts"]);
  });

  it("plans only the commits within the cap, oldest first", async () => {
    const { base, git } = setUp();
    const c1 = repo!.commitFiles("one", { "a.txt": "1\n" });
    const c2 = repo!.commitFiles("two", { "a.txt": "2\n" });
    const c3 = repo!.commitFiles("three", { "a.txt": "3\n" });
    const plan = await planCommitsBeyondHead({ ...git, base, head: c3, maxCommits: 2 });
    expect(plan.commits.map((c) => c.sha)).toEqual([c1, c2]);
    const commits = await collect(commitsBeyondHead(plan, { ...git, base, head: c3 }));
    expect(shape(commits)).toEqual([[c1, { "a.txt": ["1"] }], [c2, { "a.txt": ["2"] }]]);
  });

  it("keeps a side branch's commit whose change a merge threw away (git's history simplification would drop it)", async () => {
    const { base, git } = setUp();
    repo!.git("checkout", "-q", "-b", "side");
    const side = repo!.commitFiles("side adds a file", { "leak.env": "TOKEN=side\n" });
    repo!.git("checkout", "-q", "main");
    const main = repo!.commitFiles("main edits", { "README.md": "# project\nmore\n", "notes.txt": "n1\n" });
    repo!.git("merge", "-q", "-s", "ours", "--no-edit", "side");
    const head = repo!.commitFiles("edit notes", { "notes.txt": "n2\n" });
    const plan = await planCommitsBeyondHead({ ...git, base, head, maxCommits: 250 });
    const commits = await collect(commitsBeyondHead(plan, { ...git, base, head }));
    const bySha = new Map(shape(commits));
    expect(bySha.get(side)).toEqual({ "leak.env": ["TOKEN=side"] });
    expect(bySha.get(main)).toEqual({ "notes.txt": ["n1"] });
    expect(commits).toHaveLength(3);
  });
});

describe("parseRawLog", () => {
  const a = "a".repeat(40);
  const b = "b".repeat(40);
  const zero = "0".repeat(40);

  it("reads headers, changes and renames", () => {
    const text = `\0${a} 2026-01-01T00:00:00Z\0\n:000000 100644 ${zero} ${b} A\0x y.txt\0\0${b} 2026-01-02T00:00:00Z\0\n:100644 100644 ${b} ${a} R087\0x y.txt\0z.txt\0:100644 000000 ${a} ${zero} D\0w.txt\0`;
    expect(parseRawLog(text)).toEqual([
      { sha: a, authorDate: "2026-01-01T00:00:00Z", entries: [{ status: "A", path: "x y.txt", blob: b }] },
      {
        sha: b,
        authorDate: "2026-01-02T00:00:00Z",
        entries: [
          { status: "R", path: "z.txt", oldPath: "x y.txt", blob: a },
          { status: "D", path: "w.txt", blob: zero },
        ],
      },
    ]);
  });

  it("keeps a commit that changed nothing", () => {
    expect(parseRawLog(`\0${a} 2026-01-01T00:00:00Z\0\n`)).toEqual([{ sha: a, authorDate: "2026-01-01T00:00:00Z", entries: [] }]);
  });

  it("refuses output that is not git's", () => {
    expect(() => parseRawLog(`\n:000000 100644 ${zero} ${b} A\0x\0`)).toThrow(/before any commit header/);
    expect(() => parseRawLog(`\0not a header\0`)).toThrow(/unexpected line/);
    expect(() => parseRawLog(`\0${a} 2026-01-01T00:00:00Z\0\n:000000 100644 ${zero} ${b} A`)).toThrow(/ended inside a change/);
  });
});
