/**
 * The per-commit pass on its own, against the fake GitHub over HTTP: when it costs nothing, what
 * it adds, and how a failure is reported (never as a clean result).
 */
import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinChecks } from "../../src/checks/index.js";
import { PrSentinelOctokit } from "../../src/app/github/pr-sentinel-octokit.js";
import { withPullRequestCommits, perCommitPassApplies } from "../../src/app/scan-pull-request-commits.js";
import { configFromObject } from "../../src/core/config/load-config.js";
import { runScan } from "../../src/core/engine.js";
import type { ScanResult } from "../../src/core/types.js";
import type { GitHubClient } from "../../src/sources/github/octokit.js";
import { addPullRequestWithCommits } from "../helpers/fake-github/scenario.js";
import { FakeGitHub } from "../helpers/fake-github/server.js";
import { fakeAwsKeyId } from "../helpers/fake-github/test-checks.js";

const KEY = fakeAwsKeyId("per-commit unit");
const logger = pino({ level: "silent" });
let fake: FakeGitHub;
let octokit: GitHubClient;
let head: ScanResult;

function config(raw: unknown = {}) {
  return configFromObject(raw, ".github/pr-sentinel.yml", builtinChecks);
}

beforeAll(async () => {
  fake = new FakeGitHub({ appId: 1, publicKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey });
  await fake.start();
  octokit = new PrSentinelOctokit({ auth: { token: fake.issueToken() }, baseUrl: `http://${fake.host}/api/v3`, throttle: { enabled: false } }) as unknown as GitHubClient;
  head = await runScan({ files: [], config: config(), checks: builtinChecks, logger, offline: true });
  addPullRequestWithCommits(fake, {
    owner: "o",
    repo: "r",
    number: 1,
    base: {},
    commits: [{ files: { "a.ts": `const k = "${KEY}";\n` } }, { files: { "a.ts": "const k = process.env.K;\n" } }],
  });
});
afterAll(async () => {
  await fake?.stop();
});

const input = (extra: Partial<Parameters<typeof withPullRequestCommits>[1]> = {}) => ({
  octokit,
  owner: "o",
  repo: "r",
  pullNumber: 1,
  config: config(),
  checks: builtinChecks,
  logger,
  signal: new AbortController().signal,
  ...extra,
});

describe("withPullRequestCommits", () => {
  it("costs nothing for a single-commit pull request, or with the secrets check off", async () => {
    const from = fake.requests.length;
    expect(await withPullRequestCommits(head, input({ commitCount: 1 }))).toBe(head);
    expect(await withPullRequestCommits(head, input({ config: config({ checks: { secrets: { enabled: false } } }) }))).toBe(head);
    expect(await withPullRequestCommits(head, input({ checks: builtinChecks.filter((c) => c.meta.id !== "secrets") }))).toBe(head);
    expect(fake.since(from)).toEqual([]);
    expect(perCommitPassApplies({ commitCount: 2, config: config(), checks: builtinChecks })).toBe(true);
  });

  it("adds the deleted secret, failing the verdict", async () => {
    const result = await withPullRequestCommits(head, input({ commitCount: 2 }));
    expect(head.verdict.conclusion).toBe("pass");
    expect(result.verdict.conclusion).toBe("fail");
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ path: "a.ts", commentable: false, properties: { not_in_head: true } });
  });

  it("leaves out what is beyond the cap and says so", async () => {
    const result = await withPullRequestCommits(head, input({ maxCommits: 1 }));
    expect(result.findings).toHaveLength(1);
    expect(result.notes.join("\n")).toContain("1 more commit left out");
    const none = await withPullRequestCommits(head, input({ maxCommits: 0 }));
    expect(none.findings).toEqual([]);
  });

  it("reports a GitHub failure as an incomplete secrets check (verdict per on_error), or throws it for a retry", async () => {
    fake.failNext((r) => /\/commits\/[0-9a-f]{40}$/.test(r.path), 502);
    const result = await withPullRequestCommits(head, input());
    const secrets = result.outcomes.find((o) => o.checkId === "secrets")!;
    expect(secrets.status).toBe("error");
    expect(secrets.message).toMatch(/could not scan each commit of the pull request .*may be missed/);
    expect(result.verdict.conclusion).toBe("neutral");
    const strict = await (async () => {
      fake.failNext((r) => /\/pulls\/1\/commits$/.test(r.path), 404);
      return withPullRequestCommits(head, input({ config: config({ on_error: "fail" }), retryable: true }));
    })();
    expect(strict.verdict.conclusion).toBe("fail");

    fake.failNext((r) => /\/pulls\/1\/commits$/.test(r.path), 503);
    await expect(withPullRequestCommits(head, input({ retryable: true }))).rejects.toMatchObject({ status: 503 });
  });

  it("gives up when the scan is superseded", async () => {
    const controller = new AbortController();
    controller.abort(new Error("newer push"));
    await expect(withPullRequestCommits(head, input({ signal: controller.signal }))).rejects.toThrow("newer push");
  });
});
