import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAIN_HELP, SCAN_HELP } from "../../src/cli/help.js";
import type { Check } from "../../src/core/types.js";
import { createFixtureRepo, GIT_TEST_ENV, type FixtureRepo } from "../helpers/git-repo.js";
import { cli, hangingCheck, networkCheck, sarifValidator, throwingCheck, todoSecretCheck } from "./cli-harness.js";

let repo: FixtureRepo;
let base: string;
let head: string;

// Base: two files. Head: edits one, adds one, deletes nothing; three lines are added in all.
beforeEach(() => {
  repo = createFixtureRepo();
  base = repo.commitFiles("base", {
    "src/app.ts": "export const a = 1;\nexport const b = 2;\n",
    "README.md": "# demo\n",
  });
  head = repo.commitFiles("head", {
    "src/app.ts": "export const a = 1;\nconst token = 'TODO-SECRET';\nexport const b = 2;\n",
    "src/new.ts": "// harmless\nexport const c = 'TODO-SECRET again';\n",
  });
});

afterEach(() => repo.cleanup());

describe("pr-sentinel scan --base A --head B", () => {
  it("prints valid SARIF and runs a test-only check over exactly the added lines", async () => {
    const { check, seen } = todoSecretCheck();
    const run = await cli(["scan", "--base", base, "--head", head, "--format", "sarif"], { cwd: repo.dir, checks: [check] });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(1); // two high findings, fail_on defaults to high
    const log = JSON.parse(run.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    expect(results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region.startLine]).sort()).toEqual([
      ["todo-secret/marker", "src/app.ts", 2],
      ["todo-secret/marker", "src/new.ts", 2],
    ]);

    expect([...seen].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line)).toEqual([
      { path: "src/app.ts", line: 2, text: "const token = 'TODO-SECRET';" },
      { path: "src/new.ts", line: 1, text: "// harmless" },
      { path: "src/new.ts", line: 2, text: "export const c = 'TODO-SECRET again';" },
    ]);
  });

  it("passes with exit 0 when nothing reaches fail_on, and --fail-on changes the exit code", async () => {
    const { check } = todoSecretCheck("low");
    const args = ["scan", "--base", base, "--head", head, "--format", "json"];
    const defaults = await cli(args, { cwd: repo.dir, checks: [check] });
    expect(defaults.code).toBe(0);
    expect(JSON.parse(defaults.stdout).verdict).toMatchObject({ conclusion: "pass", failOn: "high" });

    const strict = await cli([...args, "--fail-on", "low"], { cwd: repo.dir, checks: [check] });
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).verdict).toMatchObject({ conclusion: "fail", failOn: "low" });

    const high = todoSecretCheck("high").check;
    expect((await cli([...args, "--fail-on", "critical"], { cwd: repo.dir, checks: [high] })).code).toBe(0);
    expect((await cli([...args, "--fail-on", "never"], { cwd: repo.dir, checks: [high] })).code).toBe(0);
  });

  it("defaults --head to HEAD and --base to the merge-base with main", async () => {
    repo.git("checkout", "-q", "-b", "feature");
    repo.commitFiles("feature", { "feature.txt": "TODO-SECRET on a branch\n" });
    const { check, seen } = todoSecretCheck();
    const run = await cli(["scan", "--format", "json"], { cwd: repo.dir, checks: [check] });
    expect(run.code).toBe(1);
    expect(seen).toEqual([{ path: "feature.txt", line: 1, text: "TODO-SECRET on a branch" }]);
  });

  it("writes the report to --output and a one-line summary to stderr", async () => {
    const out = join(repo.dir, "..", `pr-sentinel-report-${process.pid}-${Date.now()}.md`);
    try {
      const run = await cli(["scan", "--base", base, "--head", head, "--format", "markdown", "--output", out], {
        cwd: repo.dir,
        checks: [todoSecretCheck().check],
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(/^pr-sentinel: fail: /);
      expect(readFileSync(out, "utf8")).toMatch(/^## .*PR Sentinel: 2 high.*fails on/);
    } finally {
      rmSync(out, { force: true });
    }
  });

  it("exits 2 with one line when --output cannot be written, without pointing at --help", async () => {
    const run = await cli(["scan", "--base", base, "--head", head, "--output", join(repo.dir, "no-such-dir", "r.txt")], {
      cwd: repo.dir,
      checks: [todoSecretCheck().check],
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^pr-sentinel: cannot write the report to .*no-such-dir.*ENOENT/)]);
  });

  it("keeps stdout for the report even with debug logging", async () => {
    const run = await cli(["scan", "--base", base, "--head", head, "--format", "json"], {
      cwd: repo.dir,
      checks: [todoSecretCheck().check],
      env: { LOG_LEVEL: "debug" },
    });
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stderr).toContain('"msg":"scan finished"');
  });

  it("colors text only on a TTY without NO_COLOR", async () => {
    const args = ["scan", "--base", base, "--head", head];
    const checks = [todoSecretCheck().check];
    const escape = "\u001b[";
    expect((await cli(args, { cwd: repo.dir, checks, tty: true })).stdout).toContain(escape);
    expect((await cli(args, { cwd: repo.dir, checks, tty: true, env: { NO_COLOR: "1" } })).stdout).not.toContain(escape);
    expect((await cli(args, { cwd: repo.dir, checks, tty: false })).stdout).not.toContain(escape);
  });
});

describe("pr-sentinel scan --staged", () => {
  it("scans what is staged, not the working tree", async () => {
    repo.write("staged.txt", "TODO-SECRET staged\n");
    repo.git("add", "staged.txt");
    repo.write("unstaged.txt", "TODO-SECRET not staged\n");
    const { check, seen } = todoSecretCheck();
    const run = await cli(["scan", "--staged", "--format", "json"], { cwd: repo.dir, checks: [check] });
    expect(run.code).toBe(1);
    expect(seen).toEqual([{ path: "staged.txt", line: 1, text: "TODO-SECRET staged" }]);
  });

  it("reads the config from the working tree", async () => {
    repo.write(".github/pr-sentinel.yml", "fail_on: never\n");
    repo.write("staged.txt", "TODO-SECRET staged\n");
    repo.git("add", "staged.txt");
    const run = await cli(["scan", "--staged", "--format", "json"], { cwd: repo.dir, checks: [todoSecretCheck().check] });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).verdict.failOn).toBe("never");
  });
});

describe("configuration", () => {
  function commitConfig(text: string): string {
    return repo.commitFiles("config", { ".github/pr-sentinel.yml": text });
  }

  it("reads .github/pr-sentinel.yml from the base, so a change cannot weaken its own scan", async () => {
    const configured = commitConfig("fail_on: low\n");
    const weakened = repo.commitFiles("weaken", {
      ".github/pr-sentinel.yml": "fail_on: never\n",
      "x.txt": "TODO-SECRET\n",
    });
    const { check } = todoSecretCheck("low");
    const run = await cli(["scan", "--base", configured, "--head", weakened, "--format", "json"], {
      cwd: repo.dir,
      checks: [check],
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).verdict.failOn).toBe("low");
  });

  it("uses --config FILE when given, and --fail-on overrides its fail_on", async () => {
    repo.write("custom.yml", "fail_on: never\n");
    const args = ["scan", "--base", base, "--head", head, "--format", "json", "--config", "custom.yml"];
    const checks = [todoSecretCheck().check];
    expect((await cli(args, { cwd: repo.dir, checks })).code).toBe(0);
    expect((await cli([...args, "--fail-on", "high"], { cwd: repo.dir, checks })).code).toBe(1);
    const missing = await cli(["scan", "--base", base, "--head", head, "--config", "nope.yml"], { cwd: repo.dir, checks });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.yml");
  });

  it.each([
    ["a wrong type", "checks:\n  todo-secret:\n    timeout_seconds: soon\n", "`checks.todo-secret.timeout_seconds` (line 3)"],
    ["an unknown key", "checks:\n  todo-secret:\n    enabeld: false\n", "`checks.todo-secret.enabeld`"],
    ["an unknown check", "checks:\n  no-such-check: {}\n", "`checks.no-such-check`"],
    ["a bad fail_on", "fail_on: sometimes\n", "`fail_on`"],
    ["invalid YAML", "fail_on: [high\n", "invalid YAML"],
  ])("exits 2 on %s, naming the key path", async (_label, text, expected) => {
    const configured = commitConfig(text);
    const run = await cli(["scan", "--base", configured, "--head", configured], {
      cwd: repo.dir,
      checks: [todoSecretCheck().check],
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^pr-sentinel: invalid config \.github\/pr-sentinel\.yml/);
    expect(run.stderr).toContain(expected);
  });
});

describe("checks that fail", () => {
  const checks = () => [todoSecretCheck().check, throwingCheck, hangingCheck];

  it.each([
    ["neutral", 0, "neutral"],
    ["fail", 1, "fail"],
  ] as const)("reports throwing and hanging checks as errors, keeps other findings, and follows on_error: %s", async (onError, code, conclusion) => {
    // The config lives at the base, where the CLI reads it from.
    const configured = repo.commitFiles("config", {
      ".github/pr-sentinel.yml": `fail_on: critical\non_error: ${onError}\nchecks:\n  hangs:\n    timeout_seconds: 0.2\n`,
    });
    const later = repo.commitFiles("more", { "more.txt": "TODO-SECRET after config\n" });
    const started = Date.now();
    const run = await cli(["scan", "--base", base, "--head", later, "--format", "json", "--config", ".github/pr-sentinel.yml"], {
      cwd: repo.dir,
      checks: checks(),
    });
    const fromBase = await cli(["scan", "--base", configured, "--head", later, "--format", "json"], { cwd: repo.dir, checks: checks() });
    expect(fromBase.code).toBe(code);
    expect(JSON.parse(fromBase.stdout).outcomes.find((o: { checkId: string }) => o.checkId === "hangs").status).toBe("error");
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.code).toBe(code);
    const report = JSON.parse(run.stdout);
    expect(report.verdict.conclusion).toBe(conclusion);
    const outcomes = Object.fromEntries(report.outcomes.map((o: { checkId: string }) => [o.checkId, o]));
    expect(outcomes.explodes).toMatchObject({ status: "error", message: "boom: the parser exploded" });
    expect(outcomes.hangs).toMatchObject({ status: "error" });
    expect(outcomes.hangs.message).toContain("timed out");
    expect(outcomes["todo-secret"]).toMatchObject({ status: "ok", findingCount: 3 });
    expect(report.findings.map((f: { path: string; startLine: number }) => `${f.path}:${f.startLine}`).sort()).toEqual([
      "more.txt:1",
      "src/app.ts:2",
      "src/new.ts:2",
    ]);
  });
});

describe("--offline", () => {
  it("skips checks that need the network and says so; otherwise hands them fetch", async () => {
    const online = networkCheck();
    const onlineRun = await cli(["scan", "--base", base, "--head", head, "--format", "json"], { cwd: repo.dir, checks: [online.check] });
    expect(onlineRun.code).toBe(0);
    // The fetch checks get is restricted to the configured OSV and registry hosts (allowed-hosts.ts).
    expect(online.calls).toEqual([{ fetch: expect.any(Function), offline: false }]);

    const offline = networkCheck();
    const offlineRun = await cli(["scan", "--base", base, "--head", head, "--format", "json", "--offline"], {
      cwd: repo.dir,
      checks: [offline.check],
    });
    expect(offline.calls).toEqual([]);
    const report = JSON.parse(offlineRun.stdout);
    expect(report.outcomes).toEqual([expect.objectContaining({ checkId: "network", status: "skipped" })]);
    expect(report.verdict.title).toContain("skipped");
  });
});

describe("usage errors exit 2 with one line on stderr", () => {
  it.each([
    [["scan", "--bogus"], "unknown option --bogus"],
    [["scan", "--fail-on", "severe"], "--fail-on must be one of"],
    [["scan", "--format", "xml"], "--format must be one of"],
    [["scan", "--staged", "--head", "HEAD"], "--head and --staged"],
    [["scan", "../outside"], "is outside the repository"],
    [["scan", "--base"], "--base"],
    [["frobnicate"], "unknown command"],
    [[], "missing command"],
    [["scan", "--base", "no-such-ref"], 'unknown ref "no-such-ref"'],
  ])("%j", async (argv, expected) => {
    const run = await cli(argv, { cwd: repo.dir, checks: [] });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")[0]).toMatch(/^pr-sentinel: /);
    expect(run.stderr.split("\n")[0]).toContain(expected);
  });

  it("outside a git repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-norepo-"));
    try {
      const run = await cli(["scan"], { cwd: dir, checks: [], env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^pr-sentinel: not a git repository/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("with a LOG_LEVEL that does not exist", async () => {
    const run = await cli(["scan", "--base", base], { cwd: repo.dir, checks: [], env: { ["LOG_LEVEL" as string]: "loud" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("LOG_LEVEL");
  });
});

describe("internal errors", () => {
  it("exit 2 (never 0) with one bounded line on stderr", async () => {
    // A check whose metadata cannot even be read: the engine fails before any verdict exists.
    const broken = {
      get meta(): never {
        throw new Error(`first line\nsecond line\u001b[31m${"x".repeat(2000)}`);
      },
    } as unknown as Check;
    const run = await cli(["scan", "--base", base, "--head", head], { cwd: repo.dir, checks: [broken] });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pr-sentinel: internal error \(the scan did not finish\): first line second line/);
    expect(lines[0]).not.toContain("\u001b");
    expect(lines[0]!.length).toBeLessThan(600);
  });

  it("config problems quoting a key with a newline or an escape stay one line each", async () => {
    repo.write("bad.yml", 'fail_on: high\n"evil\\nkey\\u001b[2J": 1\n');
    const run = await cli(["scan", "--base", base, "--head", head, "--config", "bad.yml"], { cwd: repo.dir, checks: [] });
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("unknown key");
    expect(run.stderr).not.toContain("\u001b");
  });
});

describe("stderr stays quiet", () => {
  it("a failing check is in the report, not also a JSON log line; --output adds exactly one line", async () => {
    const run = await cli(["scan", "--base", base, "--head", head], { cwd: repo.dir, checks: [throwingCheck] });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("Not checked");
    const out = join(repo.dir, "report.txt");
    const written = await cli(["scan", "--base", base, "--head", head, "--output", out], { cwd: repo.dir, checks: [throwingCheck] });
    expect(written.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("config files that are not ordinary files", () => {
  it.each([
    ["a device (would never end)", "/dev/zero", "not a regular file"],
    ["a directory", ".", "not a regular file"],
  ])("refuses %s with exit 2", async (_label, file, expected) => {
    const run = await cli(["scan", "--base", base, "--head", head, "--config", file], { cwd: repo.dir, checks: [] });
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toContain(expected);
  });

  it("refuses a staged-mode config symlinked to a huge file without reading it", async () => {
    repo.write("big.bin", Buffer.alloc(2 * 1024 * 1024, 0x61));
    repo.git("add", "big.bin");
    repo.write(".github/.keep", "");
    symlinkSync(join(repo.dir, "big.bin"), join(repo.dir, ".github/pr-sentinel.yml"));
    const run = await cli(["scan", "--staged"], { cwd: repo.dir, checks: [] });
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toContain("larger than 256 KiB");
  });
});

describe("help and version", () => {
  it("documents every flag of scan and the exit codes", async () => {
    const run = await cli(["scan", "--help"], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(SCAN_HELP);
    for (const flag of ["--base", "--head", "--staged", "--format", "-f,", "--output", "-o,", "--config", "--fail-on", "--offline", "--no-color", "--verbose", "PATH...", "--help"]) {
      expect(SCAN_HELP).toContain(flag);
    }
    for (const format of ["text", "json", "sarif", "markdown"]) expect(SCAN_HELP).toContain(format);
    expect(SCAN_HELP).toMatch(/Exit codes:[\s\S]*0[\s\S]*1[\s\S]*2/);
  });

  it("prints the main help and the version", async () => {
    const help = await cli(["--help"], { cwd: repo.dir });
    expect(help).toMatchObject({ code: 0, stdout: MAIN_HELP });
    expect(MAIN_HELP).toContain("pr-sentinel scan");
    const version = await cli(["--version"], { cwd: repo.dir });
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(version).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });
  });
});

// Keep the fixture identity out of the user's git config whatever the test does.
it("runs git without the user's global config", () => {
  expect(GIT_TEST_ENV.GIT_CONFIG_GLOBAL).toBe("/dev/null");
});
