/** `scan --all`: every file tracked at the head, as if added, with the head's own config. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixtureRepo, type FixtureRepo } from "../helpers/git-repo.js";
import { fakeAwsKeyId } from "../helpers/fake-github/test-checks.js";
import { cli } from "./cli-harness.js";

let repo: FixtureRepo;
const KEY = fakeAwsKeyId("scan-all");

beforeEach(() => {
  repo = createFixtureRepo();
  repo.commitFiles("old key", { "config/old.env": `AWS_ACCESS_KEY_ID=${KEY}\n`, "README.md": "# x\n" });
  repo.commitFiles("unrelated", { "src/a.ts": "export const a = 1;\n" });
});
afterEach(() => repo.cleanup());

describe("scan --all", () => {
  it("finds what was committed long ago, which a range scan of the last commit does not see", async () => {
    const range = JSON.parse((await cli(["scan", "--base", "HEAD~1", "-f", "json", "--offline"], { cwd: repo.dir })).stdout) as { findings: unknown[] };
    expect(range.findings).toEqual([]);
    const all = await cli(["scan", "--all", "-f", "json", "--offline"], { cwd: repo.dir });
    expect(all.code).toBe(1);
    const report = JSON.parse(all.stdout) as { findings: { path: string; ruleId: string }[]; scope: { base: { chosenBy: string; commit: unknown }; config: { source: string } } };
    expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({ path: "config/old.env", ruleId: "secrets/aws-access-key-id" })]));
    expect(report.findings.every((f) => f.path === "config/old.env")).toBe(true);
    expect(report.scope.base).toMatchObject({ chosenBy: "all", commit: null });
    expect(report.scope.config.source).toBe("head");
    expect(all.stdout).not.toContain(KEY);
  });

  it("uses the head's own config, and says so in the text report", async () => {
    repo.commitFiles("config", { ".github/pr-sentinel.yml": "fail_on: never\n" });
    const run = await cli(["scan", "--all", "--offline", "--no-color"], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--all: every file tracked at HEAD, as if added/);
    expect(run.stdout).toMatch(/\.github\/pr-sentinel\.yml at head [0-9a-f]{7}/);
    expect(run.stdout).not.toMatch(/takes effect after merge/);
  });

  it("refuses --all with --base or --staged", async () => {
    for (const argv of [["scan", "--all", "--base", "HEAD~1"], ["scan", "--all", "--staged"]]) {
      const run = await cli(argv, { cwd: repo.dir });
      expect(run.code, argv.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/--all scans every file tracked/);
    }
  });
});
