/**
 * The acceptance scenario through the real CLI code path (git source, engine, registry,
 * JSON reporter): `pr-sentinel scan` reports a planted GitHub token, AWS key pair and PEM private
 * key at the right lines and stays silent on a placeholder file. The repository is built at test
 * time with checksum-valid tokens generated on the spot.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base62Crc32Checksum } from "../../../src/checks/secrets/validators/index.js";
import { runCli } from "../../../src/cli/run-cli.js";
import { BASE62, randomAwsPair, randomFrom, randomPemLines } from "./harness.js";

let repo: string;
let base: string;
let head: string;
const body = randomFrom(BASE62, 30);
const githubToken = `ghp_${body}${base62Crc32Checksum(body)}`;
const aws = randomAwsPair();
const pem = randomPemLines();

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
}

function write(path: string, lines: readonly string[]): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), `${lines.join("\n")}\n`);
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "pr-sentinel-secrets-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@pr-sentinel.invalid");
  git("config", "user.name", "test");
  git("config", "commit.gpgsign", "false");
  write("src/app.ts", ["export const x = 1;"]);
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  base = git("rev-parse", "HEAD");
  write("src/app.ts", ["export const x = 1;", "// deploy", `const token = "${githubToken}";`]);
  write("deploy/aws.env", ["# prod", `AWS_ACCESS_KEY_ID=${aws.id}`, `AWS_SECRET_ACCESS_KEY=${aws.secret}`]);
  write("deploy/id_rsa", pem);
  write(".env.example", readFileSync(new URL("../../fixtures/secrets/negatives/placeholders.env", import.meta.url), "utf8").split("\n"));
  git("add", "-A");
  git("commit", "-q", "-m", "head");
  head = git("rev-parse", "HEAD");
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("pr-sentinel scan with the secrets check", () => {
  it("reports the GitHub token, the AWS pair and the private key at their lines, and nothing in the placeholder file", async () => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(["scan", "--base", base, "--head", head, "--format", "json", "--offline"], {
      cwd: repo,
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    expect(stderr).toBe("");
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { findings: { ruleId: string; path: string; startLine: number; endLine: number }[] };
    // The policy check also reports the key file and the env file as sensitive files; this test is the secrets check's.
    const found = report.findings.filter((f) => f.ruleId.startsWith("secrets/")).map((f) => [f.path, f.startLine, f.endLine, f.ruleId]).sort();
    expect(found).toEqual(
      [
        ["deploy/aws.env", 2, 2, "secrets/aws-access-key-id"],
        ["deploy/aws.env", 3, 3, "secrets/aws-secret-access-key"],
        ["deploy/id_rsa", 1, pem.length, "secrets/rsa-private-key"],
        ["src/app.ts", 3, 3, "secrets/github-classic-pat"],
      ].sort(),
    );
    for (const secret of [githubToken, aws.secret, pem[1]!]) expect(stdout).not.toContain(secret.slice(6, 18));
  });
});
