/**
 * The real executable as a child process: it must print the report, exit with the verdict's code
 * and actually exit (the cat-file reader closed). Uses the built `dist/cli/main.js` when it is at
 * least as new as every source file (`npm test` builds first); otherwise runs the sources through tsx.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtureRepo, GIT_TEST_ENV, type FixtureRepo } from "../helpers/git-repo.js";
import { sarifValidator } from "./cli-harness.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const built = `${root}dist/cli/main.js`;

/** Every source the CLI runs (engine, reporters, checks): a build older than any of them is stale. */
function newestSource(): number {
  let newest = 0;
  for (const entry of readdirSync(`${root}src`, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return newest;
}

const useBuilt = existsSync(built) && statSync(built).mtimeMs >= newestSource();
// tsx's loader by absolute URL: `--import tsx` would be resolved from the fixture repository.
const tsxLoader = pathToFileURL(`${root}node_modules/tsx/dist/loader.mjs`).href;
const command: readonly string[] = useBuilt ? [built] : ["--import", tsxLoader, `${root}src/cli/main.ts`];

interface ProcessRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runBinary(args: string[], cwd: string): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...command, ...args], {
      cwd,
      env: { ...GIT_TEST_ENV, NO_COLOR: "1", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    // A CLI that leaves its git reader open never exits: fail instead of hanging the suite.
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`pr-sentinel did not exit within 20s; stderr: ${stderr}`));
    }, 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let repo: FixtureRepo;
let base: string;
let head: string;

beforeAll(() => {
  repo = createFixtureRepo();
  base = repo.commitFiles("base", { "a.txt": "one\n" });
  head = repo.commitFiles("head", { "a.txt": "one\ntwo\n", "b.txt": "three\n" });
});
afterAll(() => repo.cleanup());

describe(`pr-sentinel as a process (${useBuilt ? "dist/cli/main.js" : "src via tsx"})`, () => {
  it("prints valid SARIF for --format sarif and exits", async () => {
    const run = await runBinary(["scan", "--base", base, "--head", head, "--format", "sarif", "--offline"], repo.dir);
    expect([0, 1]).toContain(run.code);
    const validate = sarifValidator();
    const log = JSON.parse(run.stdout);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it("exits with the verdict's code", async () => {
    const run = await runBinary(["scan", "--base", base, "--head", head, "--format", "json", "--offline"], repo.dir);
    const report = JSON.parse(run.stdout);
    expect(report.stats).toMatchObject({ files: 2, addedLines: 2 });
    expect(run.code).toBe(report.verdict.conclusion === "fail" ? 1 : 0);
  });

  it("exits 2 with one line on stderr for a usage error, and prints its version", async () => {
    const bad = await runBinary(["scan", "--no-such-flag"], repo.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^pr-sentinel: unknown option --no-such-flag\n/);
    const version = await runBinary(["--version"], repo.dir);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
