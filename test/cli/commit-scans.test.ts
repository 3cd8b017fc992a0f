/**
 * Every commit of a range, and `scan --history`, through the real CLI entry over real git
 * repositories: a secret committed and deleted again is still found, with the commit that added it.
 */
import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixtureRepo, GIT_TEST_ENV, type FixtureRepo } from "../helpers/git-repo.js";
import { fakeAwsKeyId } from "../helpers/fake-github/test-checks.js";
import { cli } from "./cli-harness.js";

interface JsonFinding {
  path: string;
  ruleId: string;
  message: string;
  commentable: boolean;
  properties: Record<string, unknown>;
}
interface JsonReport {
  findings: JsonFinding[];
  verdict: { conclusion: string };
  notes: string[];
}

let repo: FixtureRepo;
const KEY = fakeAwsKeyId("commit-scans");
const OTHER = fakeAwsKeyId("commit-scans-other");

/** A commit with a fixed author date, so history tests can check the date a finding reports. */
function commitAt(message: string, date: string): string {
  repo.git("add", "-A");
  const env = { ...GIT_TEST_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  execFileSync("git", ["commit", "-q", "--allow-empty", "-m", message], { cwd: repo.dir, env });
  return repo.git("rev-parse", "HEAD");
}

const json = (stdout: string) => JSON.parse(stdout) as JsonReport;

beforeEach(() => {
  repo = createFixtureRepo();
  repo.commitFiles("start", { "README.md": "# project\n" });
  repo.git("checkout", "-q", "-b", "feature");
});
afterEach(() => repo.cleanup());

describe("a range of several commits", () => {
  it("fails on a token added in one commit and removed in the next, naming the first commit", async () => {
    const added = repo.commitFiles("add key", { "deploy/keys.env": `AWS_ACCESS_KEY_ID=${KEY}\n` });
    repo.remove("deploy/keys.env");
    repo.commitFiles("remove key", { "src/a.ts": "export const a = 1;\n" });

    const run = await cli(["scan", "-f", "json", "--offline"], { cwd: repo.dir });
    expect(run.code).toBe(1);
    const report = json(run.stdout);
    expect(report.verdict.conclusion).toBe("fail");
    const finding = report.findings.find((f) => f.path === "deploy/keys.env");
    expect(finding).toMatchObject({ ruleId: "secrets/aws-access-key-id", commentable: false, properties: { commit: added, not_in_head: true } });
    expect(finding!.message).toContain(`committed in ${added.slice(0, 7)}`);
    expect(finding!.message).toContain("rotate it");
    expect(report.notes.join("\n")).toMatch(/2 commits one by one: 1 finding only in earlier commits/);
    expect(run.stdout).not.toContain(KEY);

    const text = await cli(["scan", "--offline", "--no-color"], { cwd: repo.dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("deploy/keys.env");
    expect(text.stdout).toContain(added.slice(0, 7));
    expect(text.stdout).toContain("rotate it");
  });

  it("passes with --no-commits, which scans only the net diff", async () => {
    repo.commitFiles("add key", { "deploy/keys.env": `AWS_ACCESS_KEY_ID=${KEY}\n` });
    repo.remove("deploy/keys.env");
    repo.commitFiles("remove key", { "src/a.ts": "export const a = 1;\n" });
    const run = await cli(["scan", "-f", "json", "--offline", "--no-commits"], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(json(run.stdout).findings).toEqual([]);
  });

  it("reports a token still in the head once, on its line", async () => {
    repo.commitFiles("add key", { "deploy/keys.env": `AWS_ACCESS_KEY_ID=${KEY}\n` });
    repo.commitFiles("more", { "src/a.ts": "export const a = 1;\n" });
    const report = json((await cli(["scan", "-f", "json", "--offline"], { cwd: repo.dir })).stdout);
    const keys = report.findings.filter((f) => f.ruleId === "secrets/aws-access-key-id");
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ path: "deploy/keys.env", commentable: true });
    expect(keys[0]!.properties).not.toHaveProperty("not_in_head");
  });

  it("stops at --max-commits and says how many commits were left out", async () => {
    repo.commitFiles("one", { "a.txt": "1\n" });
    repo.commitFiles("two", { "b.txt": "2\n" });
    repo.commitFiles("add key", { "deploy/keys.env": `AWS_ACCESS_KEY_ID=${KEY}\n` });
    repo.remove("deploy/keys.env");
    repo.commit("remove key");
    const run = await cli(["scan", "-f", "json", "--offline", "--max-commits", "2"], { cwd: repo.dir });
    const report = json(run.stdout);
    expect(run.code).toBe(0);
    expect(report.notes.join("\n")).toMatch(/2 commits one by one: .*; 2 more commits left out \(cap: 2\)/);
    expect(report.notes.join("\n")).toContain("--max-commits 4");
  });
});

describe("scan --history", () => {
  it("finds a secret deleted long ago, with its commit, author date and path", async () => {
    repo.git("checkout", "-q", "main");
    repo.write("old/creds.env", `AWS_ACCESS_KEY_ID=${KEY}\n`);
    const added = commitAt("old key", "2019-05-06T07:08:09+02:00");
    repo.remove("old/creds.env");
    commitAt("delete it", "2019-05-07T00:00:00Z");
    for (let i = 0; i < 3; i++) repo.commitFiles(`later ${i}`, { [`src/f${i}.ts`]: `export const x${i} = ${i};\n` });

    const all = await cli(["scan", "--all", "-f", "json", "--offline"], { cwd: repo.dir });
    expect(json(all.stdout).findings).toEqual([]);

    const run = await cli(["scan", "--history", "-f", "json", "--offline"], { cwd: repo.dir });
    expect(run.code).toBe(1);
    const report = json(run.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      path: "old/creds.env",
      ruleId: "secrets/aws-access-key-id",
      commentable: false,
      properties: { commit: added, commit_date: "2019-05-06T07:08:09+02:00" },
    });
    expect(report.findings[0]!.message).toContain(`introduced in commit ${added.slice(0, 7)} (2019-05-06)`);
    expect(report.notes).toContain("Scanned 6 commits one by one for secrets.");
    expect(run.stdout).not.toContain(KEY);
  });

  it("with --since, looks only at the commits after REF", async () => {
    repo.commitFiles("old key", { "old.env": `AWS_ACCESS_KEY_ID=${KEY}\n` });
    const mark = repo.commitFiles("mark", { "b.txt": "b\n" });
    repo.commitFiles("new key", { "new.env": `AWS_ACCESS_KEY_ID=${OTHER}\n` });
    const since = json((await cli(["scan", "--history", "--since", mark, "-f", "json", "--offline"], { cwd: repo.dir })).stdout);
    expect(since.findings.map((f) => f.path)).toEqual(["new.env"]);
    expect(since.notes).toContain("Scanned 1 commit one by one for secrets.");
    const all = json((await cli(["scan", "--history", "-f", "json", "--offline"], { cwd: repo.dir })).stdout);
    expect(all.findings.map((f) => f.path).sort()).toEqual(["new.env", "old.env"]);
  });

  it("uses the head's config and says what it scanned in the text report", async () => {
    repo.commitFiles("old key", { "old.env": `AWS_ACCESS_KEY_ID=${KEY}\n` });
    repo.commitFiles("config", { ".github/pr-sentinel.yml": "fail_on: never\n" });
    const run = await cli(["scan", "--history", "--offline", "--no-color"], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("old.env");
    expect(run.stdout).toContain("Scanned 3 commits one by one for secrets.");
  });

  it("with PATH arguments, looks only at those files in each commit", async () => {
    repo.commitFiles("two keys", { "deploy/a.env": `AWS_ACCESS_KEY_ID=${KEY}\n`, "other/b.env": `AWS_ACCESS_KEY_ID=${OTHER}\n` });
    repo.remove("deploy/a.env");
    repo.remove("other/b.env");
    repo.commit("remove both");
    const run = await cli(["scan", "--history", "-f", "json", "--offline", "deploy"], { cwd: repo.dir });
    expect(json(run.stdout).findings.filter((f) => f.ruleId === "secrets/aws-access-key-id").map((f) => f.path)).toEqual(["deploy/a.env"]);
  });

  it("says so in a shallow clone, whose oldest commit stands for everything before it", async () => {
    for (let i = 0; i < 3; i++) repo.commitFiles(`c${i}`, { [`f${i}.txt`]: `${i}\n` });
    const clone = createFixtureRepo();
    try {
      clone.git("fetch", "-q", "--depth", "2", `file://${repo.dir}`, "feature");
      clone.git("checkout", "-q", "FETCH_HEAD");
      const report = json((await cli(["scan", "--history", "-f", "json", "--offline"], { cwd: clone.dir })).stdout);
      expect(report.notes.join("\n")).toContain("This is a shallow clone");
      expect(report.notes).toContain("Scanned 2 commits one by one for secrets.");
    } finally {
      clone.cleanup();
    }
  });

  it("refuses an unknown --since with exit 2", async () => {
    const run = await cli(["scan", "--history", "--since", "no-such-ref"], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown ref "no-such-ref"/);
  });
});
