/**
 * The acceptance scenario through the real CLI code path (git source, engine, registry,
 * JSON reporter) against loopback fakes of OSV and the npm registry, online and with an offline OSV
 * export: the same findings either way, and a plain `--offline` that says what it skipped.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run-cli.js";
import { LODASH_ADVISORIES, MALWARE_RECORD, lineOf, packageJson, packageLock, startDependencyFakes, type DependencyFakes } from "./harness.js";

let repo: string;
let osvDir: string;
let base: string;
let head: string;
let fakes: DependencyFakes;
const headManifest = packageJson({ lodash: "^4.17.15", ms: "^2.1.3" });
const headLock = packageLock({ lodash: "^4.17.15", ms: "^2.1.3" }, [{ name: "lodash", version: "4.17.15" }, { name: "ms", version: "2.1.3" }]);

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

beforeAll(async () => {
  fakes = await startDependencyFakes();
  repo = mkdtempSync(join(tmpdir(), "pr-sentinel-deps-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@pr-sentinel.invalid");
  git("config", "user.name", "test");
  git("config", "commit.gpgsign", "false");
  write(repo, "package.json", packageJson({ ms: "^2.1.3" }));
  write(repo, "package-lock.json", packageLock({ ms: "^2.1.3" }, [{ name: "ms", version: "2.1.3" }]));
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  base = git("rev-parse", "HEAD");
  write(repo, "package.json", headManifest);
  write(repo, "package-lock.json", headLock);
  git("add", "-A");
  git("commit", "-q", "-m", "add lodash");
  head = git("rev-parse", "HEAD");
  // An offline OSV export: one folder per ecosystem, one JSON file per record.
  osvDir = mkdtempSync(join(tmpdir(), "pr-sentinel-osv-"));
  for (const record of [...LODASH_ADVISORIES, MALWARE_RECORD]) write(osvDir, `npm/${record.id}.json`, JSON.stringify(record));
});

afterAll(async () => {
  await fakes.close();
  rmSync(repo, { recursive: true, force: true });
  rmSync(osvDir, { recursive: true, force: true });
});

async function scan(extraArgs: string[], env: Record<string, string | undefined>) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(["scan", "--base", base, "--head", head, "--format", "json", ...extraArgs], {
    cwd: repo,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { code, stderr, report: (stdout ? JSON.parse(stdout) : { findings: [], outcomes: [] }) as { findings: { ruleId: string; path: string; startLine: number; severity: string; message: string }[]; outcomes: { checkId: string; status: string; message?: string }[] } };
}

const vulnerable = (report: Awaited<ReturnType<typeof scan>>["report"]) =>
  report.findings.filter((f) => f.ruleId === "dependencies/vulnerable-dependency").map((f) => [f.path, f.startLine, f.severity]);

const expected = [
  ["package-lock.json", lineOf(headLock, '"node_modules/lodash"'), "high"],
  ["package.json", lineOf(headManifest, '"lodash"'), "high"],
];

describe("pr-sentinel scan with the dependencies check", () => {
  it("reports lodash@4.17.15 on its package.json and lockfile lines and fails", async () => {
    const run = await scan([], { OSV_API_URL: fakes.osv.url, NPM_REGISTRY_URL: fakes.npm.url });
    expect(run.code, run.stderr).toBe(1);
    expect(vulnerable(run.report)).toEqual(expected);
    expect(run.report.outcomes.find((o) => o.checkId === "dependencies")?.status).toBe("ok");
  });

  it("gives the same findings from an offline OSV export under --offline", async () => {
    const run = await scan(["--offline"], { OSV_DB_DIR: osvDir });
    expect(run.code, run.stderr).toBe(1);
    expect(vulnerable(run.report)).toEqual(expected);
    // The registry cannot be asked offline, and the report says so instead of staying silent.
    const outcome = run.report.outcomes.find((o) => o.checkId === "dependencies");
    expect(outcome?.message ?? "").toContain("offline");
  });

  it("says the lookup was skipped with --offline and no export, and does not fail on what it did not see", async () => {
    const run = await scan(["--offline"], {});
    expect(run.code, run.stderr).toBe(0);
    expect(vulnerable(run.report)).toEqual([]);
    const outcome = run.report.outcomes.find((o) => o.checkId === "dependencies");
    expect(outcome).toMatchObject({ status: "error" });
    expect(outcome?.message).toContain("not looked up");
  });

  it("refuses an OSV_API_URL that is not an http(s) URL with exit code 2", async () => {
    const run = await scan([], { OSV_API_URL: "ftp://example.invalid" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("OSV_API_URL");
  }, 10_000);
});
