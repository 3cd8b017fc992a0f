/**
 * End to end through real git repositories: every report names what was scanned, an empty range is
 * said to be empty, `scan PATH…` narrows the change, and the text report tells a developer what to
 * do (fix, suppress, and in --staged mode that the commit was blocked).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { secretsCheck } from "../../src/checks/secrets/index.js";
import { createFixtureRepo, type FixtureRepo } from "../helpers/git-repo.js";
import { cli, todoSecretCheck } from "./cli-harness.js";

let repo: FixtureRepo;
let base: string;

beforeEach(() => {
  repo = createFixtureRepo();
  base = repo.commitFiles("base", { "README.md": "# demo\n", "src/app.ts": "export const a = 1;\n" });
});
afterEach(() => repo.cleanup());

const short = (id: string) => id.slice(0, 7);

function branchWithFindings(): string {
  repo.git("checkout", "-q", "-b", "feature");
  return repo.commitFiles("feature", {
    "src/app.ts": "export const a = 1;\nconst t = 'TODO-SECRET';\n",
    "docs/notes.md": "TODO-SECRET in the docs\n",
  });
}

describe("every report names what was scanned", () => {
  it("text: the range, the merge-base with main, and the config at base", async () => {
    const head = branchWithFindings();
    const run = await cli(["scan"], { cwd: repo.dir, checks: [todoSecretCheck().check] });
    expect(run.code).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`Scanned  main@${short(base)}…HEAD@${short(head)} (base: the merge-base of HEAD and main), 2 changed files`);
    expect(lines[1]).toBe(`Config   defaults: no .github/pr-sentinel.yml at base ${short(base)}`);
  });

  it("json: --base, the config file at base, and a branch that changes the config", async () => {
    const configured = repo.commitFiles("config", { ".github/pr-sentinel.yml": "fail_on: low\n" });
    const head = repo.commitFiles("weaken", { ".github/pr-sentinel.yml": "fail_on: never\n", "x.txt": "TODO-SECRET\n" });
    const run = await cli(["scan", "--base", "HEAD~1", "-f", "json"], { cwd: repo.dir, checks: [todoSecretCheck("low").check] });
    expect(run.code).toBe(1);
    const { scope } = JSON.parse(run.stdout);
    expect(scope).toEqual({
      range: `HEAD~1@${short(configured)}…HEAD@${short(head)}`,
      staged: false,
      base: { ref: "HEAD~1", commit: configured, chosenBy: "flag" },
      head: { ref: "HEAD", commit: head },
      config: { source: "base", path: ".github/pr-sentinel.yml", commit: configured, found: true, changedByBranch: true },
      changedFiles: 2,
      paths: [],
      matchedFiles: 2,
    });
    const text = await cli(["scan", "--base", "HEAD~1"], { cwd: repo.dir, checks: [todoSecretCheck("low").check] });
    expect(text.stdout).toContain(`Config   .github/pr-sentinel.yml at base ${short(configured)}\n`);
    expect(text.stdout).toContain("Note: the branch changes .github/pr-sentinel.yml; that takes effect after merge");
  });

  it("markdown and --config FILE", async () => {
    const head = branchWithFindings();
    repo.write("ci.yml", "fail_on: never\n");
    const run = await cli(["scan", "--format", "markdown", "--config", "ci.yml"], { cwd: repo.dir, checks: [todoSecretCheck().check] });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Scanned \`main@${short(base)}…HEAD@${short(head)}\` (base\\: the merge\\-base of HEAD and main), 2 changed files. Config: \\-\\-config ci\\.yml.`);
  });

  it("--staged: the index against HEAD, and the config in the working tree", async () => {
    repo.write("staged.txt", "fine\n");
    repo.git("add", "staged.txt");
    const run = await cli(["scan", "--staged"], { cwd: repo.dir, checks: [todoSecretCheck().check] });
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n").slice(0, 2)).toEqual([
      `Scanned  HEAD@${short(base)}…index (--staged: the index against HEAD), 1 changed file`,
      "Config   defaults: no .github/pr-sentinel.yml in the working tree",
    ]);
  });

  it("the one-line summary of --output names the range", async () => {
    const head = branchWithFindings();
    const out = join(repo.dir, "..", `pr-sentinel-scope-${process.pid}-${Date.now()}.json`);
    const run = await cli(["scan", "-f", "json", "-o", out], { cwd: repo.dir, checks: [todoSecretCheck().check] });
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`pr-sentinel: fail: 2 high: fails on high (main@${short(base)}…HEAD@${short(head)}; json report in ${out})\n`);
  });
});

describe("an empty range", () => {
  it("says NOTHING SCANNED instead of PASS, points at --base, and still exits 0", async () => {
    const run = await cli(["scan"], { cwd: repo.dir, checks: [todoSecretCheck().check] });
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(
      `NOTHING SCANNED  no files changed in main@${short(base)}…HEAD@${short(base)} (HEAD is the base itself: you are on main, or the branch has no commits of its own); pass --base REF (e.g. --base HEAD~1) to compare with an earlier commit, or --all to scan every tracked file`,
    );
    expect(run.stdout).not.toContain("PASS");
    const json = JSON.parse((await cli(["scan", "-f", "json"], { cwd: repo.dir, checks: [] })).stdout);
    expect(json.scope).toMatchObject({ changedFiles: 0, matchedFiles: 0 });
  });

  it("says so in --staged mode when nothing is staged", async () => {
    const run = await cli(["scan", "--staged"], { cwd: repo.dir, checks: [todoSecretCheck().check] });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\nNOTHING SCANNED {2}nothing is staged/);
  });
});

describe("scan PATH…", () => {
  it("scans only the changed files under the paths, from the current directory", async () => {
    branchWithFindings();
    const { check, seen } = todoSecretCheck();
    const run = await cli(["scan", "-f", "json", "src"], { cwd: repo.dir, checks: [check] });
    expect(run.code).toBe(1);
    expect(new Set(seen.map((s) => s.path))).toEqual(new Set(["src/app.ts"]));
    expect(JSON.parse(run.stdout).scope).toMatchObject({ changedFiles: 2, paths: ["src"], matchedFiles: 1 });

    mkdirSync(join(repo.dir, "docs"), { recursive: true });
    const fromDocs = todoSecretCheck();
    const inDocs = await cli(["scan", "-f", "json", "*.md"], { cwd: join(repo.dir, "docs"), checks: [fromDocs.check] });
    expect(inDocs.code).toBe(1);
    expect(new Set(fromDocs.seen.map((s) => s.path))).toEqual(new Set(["docs/notes.md"]));
  });

  it("says nothing was scanned when no changed file matches", async () => {
    branchWithFindings();
    const run = await cli(["scan", "lib"], { cwd: repo.dir, checks: [todoSecretCheck().check] });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("\nPaths    lib (0 of 2 changed files)\n");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("NOTHING SCANNED  none of the 2 changed files matches lib");
  });
});

describe("the text report tells a developer what to do", () => {
  // A made-up PKCS#8 block: random bytes, so it is no one's key.
  function pkcs8(): string {
    const body = randomBytes(900).toString("base64").match(/.{1,64}/g)!.join("\n");
    return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
  }

  it("with the real secrets check: a title naming the provider once, the fix, the suppression, and the blocked commit", async () => {
    repo.write("deploy/key.txt", pkcs8());
    repo.git("add", "deploy/key.txt");
    const run = await cli(["scan", "--staged", "--offline"], { cwd: repo.dir, checks: [secretsCheck] });
    expect(run.code).toBe(1);
    const lines = run.stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith("deploy/key.txt:1  "));
    expect(lines[at]).toMatch(/^deploy\/key\.txt:1 {2}critical {2}secrets\/pkcs8-private-key {2}Private key \(PKCS#8\) {2}-----BEGIN PRIVATE KEY-----/);
    expect(run.stdout).not.toContain("(Private key)");
    expect(lines[at + 1]).toMatch(/^ {4}fix {7}\S/);
    expect(lines[at + 2]).toMatch(/^ {4}suppress {2}pr-sentinel-ignore secrets\/pkcs8-private-key in a comment on or above the line, or allowlist fingerprint [0-9a-f]{16}$/);
    expect(run.stdout).not.toMatch(/\p{Cf}/u);
    expect(run.stdout).not.toMatch(/\\[`*_[\]()#.-]/);
    const tail = run.stdout.trimEnd().split("\n").slice(-3);
    expect(tail[0]).toMatch(/^The commit was blocked\./);
    expect(tail.join(" ")).toContain("git commit --no-verify");
  });

  it("--no-color turns color off on a terminal; --verbose adds the checks", async () => {
    branchWithFindings();
    const checks = [todoSecretCheck().check];
    expect((await cli(["scan"], { cwd: repo.dir, checks, tty: true })).stdout).toContain("\u001b[");
    expect((await cli(["scan", "--no-color"], { cwd: repo.dir, checks, tty: true })).stdout).not.toContain("\u001b[");
    const verbose = await cli(["scan", "--verbose"], { cwd: repo.dir, checks });
    expect(verbose.stdout).toMatch(/\nChecks:\n {2}todo-secret {2}ok {2}2 findings, \d+ ms\n/);
    expect(verbose.stdout).toContain("    help      https://");
  });
});
