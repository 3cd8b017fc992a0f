/**
 * `pr-sentinel baseline` and the `baseline:` setting, through the real CLI over real repositories:
 * existing findings stop failing, new ones still fail, and a branch cannot baseline its own.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixtureRepo, type FixtureRepo } from "../helpers/git-repo.js";
import { fakeAwsKeyId } from "../helpers/fake-github/test-checks.js";
import { cli } from "./cli-harness.js";

interface JsonReport {
  findings: { path: string; ruleId: string; fingerprint: string }[];
  verdict: { conclusion: string };
  suppressed: { baseline: number };
}

let repo: FixtureRepo;
const OLD = fakeAwsKeyId("baseline-old");
const NEW = fakeAwsKeyId("baseline-new");
const BASELINE = ".github/pr-sentinel-baseline.yml";
const json = (stdout: string) => JSON.parse(stdout) as JsonReport;

beforeEach(() => {
  repo = createFixtureRepo();
  repo.commitFiles("existing key", { "config/old.txt": `AWS_ACCESS_KEY_ID=${OLD}\n`, "README.md": "# x\n" });
});
afterEach(() => repo.cleanup());

async function writeBaseline(output = BASELINE, extra: string[] = []) {
  const run = await cli(["baseline", "--output", output, "--offline", ...extra], { cwd: repo.dir });
  expect(run.code, run.stderr).toBe(0);
  return { run, text: readFileSync(join(repo.dir, output), "utf8") };
}

describe("pr-sentinel baseline", () => {
  it("writes every finding of the repository (default --all) without the secret", async () => {
    const { run, text } = await writeBaseline();
    expect(run.stderr).toMatch(/^pr-sentinel: wrote 1 baseline entry to \.github\/pr-sentinel-baseline\.yml/);
    expect(text).toMatch(/^# pr-sentinel baseline: 1 finding\(s\) accepted as they were on \d{4}-\d{2}-\d{2}/);
    expect(text).toMatch(/^ {2}- \{ fingerprint: [0-9a-f]{64}, rule: "secrets\/aws-access-key-id", path: "config\/old\.txt", reason: baseline, date: \d{4}-\d{2}-\d{2} \}$/m);
    expect(text).not.toContain(OLD);
    expect(text).not.toContain(OLD.slice(4, 10));
  });

  it("writes JSON when the file name ends in .json", async () => {
    const { text } = await writeBaseline("baseline.json");
    const parsed = JSON.parse(text) as { version: number; entries: { rule: string; reason: string }[] };
    expect(parsed.version).toBe(1);
    expect(parsed.entries).toMatchObject([{ rule: "secrets/aws-access-key-id", reason: "baseline" }]);
  });

  it("once committed and named in the config, existing findings pass and are counted; a new secret still fails", async () => {
    await writeBaseline();
    repo.commitFiles("adopt baseline", { ".github/pr-sentinel.yml": `baseline: ${BASELINE}\n` });

    const all = await cli(["scan", "--all", "-f", "json", "--offline"], { cwd: repo.dir });
    expect(all.code).toBe(0);
    expect(json(all.stdout)).toMatchObject({ findings: [], suppressed: { baseline: 1 } });

    repo.git("checkout", "-q", "-b", "feature");
    repo.commitFiles("new key", { "config/new.txt": `AWS_ACCESS_KEY_ID=${NEW}\n`, "config/old-copy.txt": `AWS_ACCESS_KEY_ID=${OLD}\n` });
    const all2 = json((await cli(["scan", "--all", "-f", "json", "--offline"], { cwd: repo.dir })).stdout);
    expect(all2.findings.map((f) => f.path).sort()).toEqual(["config/new.txt", "config/old-copy.txt"]);
    const range = await cli(["scan", "-f", "json", "--offline"], { cwd: repo.dir });
    expect(range.code).toBe(1);
    expect(json(range.stdout).findings.map((f) => f.path).sort()).toEqual(["config/new.txt", "config/old-copy.txt"]);
  });

  it("applies to --history too, where the old secret is found in its commit", async () => {
    await writeBaseline(BASELINE, ["--history"]);
    repo.commitFiles("adopt baseline", { ".github/pr-sentinel.yml": `baseline: ${BASELINE}\n` });
    const run = await cli(["scan", "--history", "-f", "json", "--offline"], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(json(run.stdout)).toMatchObject({ findings: [], suppressed: { baseline: 1 } });
  });

  it("does not let a branch baseline its own findings: the baseline is read at the base", async () => {
    repo.git("checkout", "-q", "-b", "feature");
    repo.commitFiles("new key", { "config/new.txt": `AWS_ACCESS_KEY_ID=${NEW}\n` });
    await writeBaseline(BASELINE, ["--all"]);
    repo.commitFiles("baseline it", { ".github/pr-sentinel.yml": `baseline: ${BASELINE}\n` });
    const run = await cli(["scan", "-f", "json", "--offline"], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(json(run.stdout).findings.map((f) => f.path)).toEqual(["config/new.txt"]);
    expect(json(run.stdout).suppressed.baseline).toBe(0);
  });

  it("does not let the branch edit the base's baseline either", async () => {
    repo.commitFiles("empty baseline", { [BASELINE]: "version: 1\nentries: []\n", ".github/pr-sentinel.yml": `baseline: ${BASELINE}\n` });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commitFiles("new key", { "config/new.txt": `AWS_ACCESS_KEY_ID=${NEW}\n` });
    await writeBaseline(BASELINE, ["--all"]);
    repo.commit("baseline it");
    const run = await cli(["scan", "-f", "json", "--offline"], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(json(run.stdout).findings.map((f) => f.path)).toEqual(["config/new.txt"]);
  });

  it("rewriting the baseline keeps the findings the one in force lists", async () => {
    await writeBaseline();
    repo.commitFiles("adopt baseline", { ".github/pr-sentinel.yml": `baseline: ${BASELINE}\n` });
    const { text } = await writeBaseline();
    expect(text).toContain('path: "config/old.txt"');
  });

  it("a bad baseline file stops the scan with exit 2, naming the file and the line", async () => {
    const bad = ["version: 1", "entries:", "  - { fingerprint: abc, rule: r, path: p, reason: baseline, date: 2026-01-01 }", ""].join("\n");
    repo.commitFiles("bad baseline", { [BASELINE]: bad, ".github/pr-sentinel.yml": `baseline: ${BASELINE}\n` });
    const run = await cli(["scan", "--all", "--offline"], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`invalid config ${BASELINE} at HEAD`);
    expect(run.stderr).toMatch(/`entries\[0\]\.fingerprint` \(line 3\): expected the finding's full fingerprint/);
  });

  it("a config naming a baseline that does not exist stops the scan with exit 2", async () => {
    repo.commitFiles("config", { ".github/pr-sentinel.yml": `baseline: ${BASELINE}\n` });
    const run = await cli(["scan", "--all", "--offline"], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/names this file, and it does not exist there/);
  });
});
