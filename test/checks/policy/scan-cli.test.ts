/**
 * The policy issue's acceptance scenario through the real CLI (git source, engine, every built-in
 * check, SARIF reporter): a pull request adding a `pull_request_target` workflow that checks out the
 * head and echoes the title, a tag-pinned third-party action, an `id_rsa` and a `FROM node:latest`
 * Dockerfile with `curl | bash` gives one policy finding per problem, each on its line; a safe
 * workflow gives none.
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/run-cli.js";

const UNSAFE_WORKFLOW = `name: pr
on:
  pull_request_target:
    types: [opened, synchronize]
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - uses: some-org/setup-thing@v2
      - run: echo "Thanks for \${{ github.event.pull_request.title }}"
`;

const SAFE_WORKFLOW = `name: ci
on:
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/setup-node@v4
        with:
          node-version: 24
      - run: npm ci && npm test
      - name: Greet
        env:
          TITLE: \${{ github.event.pull_request.title }}
        run: echo "Thanks for $TITLE"
`;

const DOCKERFILE = `FROM node:latest
WORKDIR /app
RUN curl -fsSL https://get.example.com/install.sh | bash
COPY . .
CMD ["node", "server.js"]
`;

let repo: string;
let base: string;
let head: string;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "pr-sentinel-policy-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@pr-sentinel.invalid");
  git("config", "user.name", "test");
  git("config", "commit.gpgsign", "false");
  write("README.md", "# app\n");
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  base = git("rev-parse", "HEAD");
  const { privateKey } = generateKeyPairSync("ed25519", { privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  write(".github/workflows/pr.yml", UNSAFE_WORKFLOW);
  write(".github/workflows/ci.yml", SAFE_WORKFLOW);
  write("deploy/id_rsa", privateKey);
  write("Dockerfile", DOCKERFILE);
  git("add", "-A");
  git("commit", "-q", "-m", "head");
  head = git("rev-parse", "HEAD");
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

interface SarifResult {
  ruleId: string;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
}

describe("pr-sentinel scan with the policy check", () => {
  it("reports each problem once, on its line, in SARIF, and nothing in the safe workflow", async () => {
    let stdout = "";
    const code = await runCli(["scan", "--base", base, "--head", head, "--format", "sarif", "--offline"], {
      cwd: repo,
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    expect(code).toBe(1);
    const results = (JSON.parse(stdout) as { runs: { results: SarifResult[] }[] }).runs[0]!.results;
    const policy = results
      .filter((r) => r.ruleId.startsWith("policy/"))
      .map((r) => [r.ruleId, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region.startLine].join(" "))
      .sort();
    expect(policy).toEqual(
      [
        "policy/untrusted-checkout .github/workflows/pr.yml 9",
        "policy/unpinned-uses .github/workflows/pr.yml 12",
        "policy/template-injection .github/workflows/pr.yml 13",
        "policy/private-key-file deploy/id_rsa 1",
        "policy/latest-tag Dockerfile 1",
        "policy/curl-pipe-shell Dockerfile 3",
        "policy/root-user Dockerfile 1",
      ].sort(),
    );
    expect(results.filter((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === ".github/workflows/ci.yml")).toEqual([]);
  });
});
