/**
 * Every commit of a pull request, end to end through the real app and the fake GitHub: a token
 * committed and deleted again fails the check run and is listed with its commit, never commented
 * inline; a token still in the head is reported once; the cost in GitHub requests is bounded by the
 * cap; `paths.ignore`d files are never read; and the baseline the config names is read from the
 * default branch and counted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinChecks } from "../../src/checks/index.js";
import { DEFAULT_MAX_PULL_REQUEST_COMMITS } from "../../src/app/scan-pull-request-commits.js";
import { startHarness, type Harness } from "../helpers/fake-github/harness.js";
import { addPullRequest, addPullRequestWithCommits, blobSha, ensureRepo, type CommitSpec } from "../helpers/fake-github/scenario.js";
import type { FakePull, FakeCheckRun } from "../helpers/fake-github/state.js";
import type { RecordedRequest } from "../helpers/fake-github/server.js";
import { fakeAwsKeyId } from "../helpers/fake-github/test-checks.js";
import { addedFile } from "../checks/secrets/harness.js";
import { baselineEntries, renderBaselineFile } from "../../src/core/config/baseline-file.js";
import { configFromObject } from "../../src/core/config/load-config.js";
import { runScan } from "../../src/core/engine.js";
import { pino } from "pino";
import { pullRequestPayload } from "../helpers/fake-github/webhooks.js";

const DELETED_KEY = fakeAwsKeyId("committed then deleted");
const KEPT_KEY = fakeAwsKeyId("still in the head");

let h: Harness;
let installation = 700;

beforeAll(async () => {
  h = await startHarness({ checks: builtinChecks });
});
afterAll(async () => {
  await h?.stop();
});

interface Scanned {
  readonly pull: FakePull;
  readonly run: FakeCheckRun;
  readonly requests: RecordedRequest[];
}

async function open(pull: FakePull, commits: number): Promise<Scanned> {
  const from = h.fake.requests.length;
  const delivery = await h.send(
    "pull_request",
    pullRequestPayload({
      action: "opened",
      owner: pull.owner,
      repo: pull.repo,
      installationId: installation++,
      number: pull.number,
      headSha: pull.headSha,
      baseSha: pull.baseSha,
      changedFiles: pull.files.length,
      commits,
    }),
  );
  expect(delivery.status).toBe(200);
  await h.app.idle();
  const runs = h.fake.state.checkRunsFor(pull.headSha);
  expect(runs).toHaveLength(1);
  return { pull, run: runs[0]!, requests: h.fake.since(from) };
}

function withCommits(repo: string, base: Record<string, string>, commits: CommitSpec[]): FakePull {
  ensureRepo(h.fake, "acme", repo);
  return addPullRequestWithCommits(h.fake, { owner: "acme", repo, number: 3, base, commits });
}

const commitFetches = (s: Scanned) => s.requests.filter((r) => r.method === "GET" && /^\/repos\/[^/]+\/[^/]+\/commits\/[0-9a-f]{40}$/.test(r.path));
const listPages = (s: Scanned) => s.requests.filter((r) => r.method === "GET" && /\/pulls\/\d+\/commits$/.test(r.path));

describe("a token committed in commit 2 and deleted in commit 3", () => {
  let scanned: Scanned;
  beforeAll(async () => {
    const pull = withCommits("deleted", { "README.md": "# app\n" }, [
      { files: { "src/app.ts": "export const app = 1;\n" } },
      { files: { "src/config.ts": `export const region = "eu-west-1";\nexport const key = "${DELETED_KEY}";\n` } },
      { files: { "src/config.ts": `export const region = "eu-west-1";\nexport const key = process.env.AWS_ACCESS_KEY_ID;\n` } },
    ]);
    scanned = await open(pull, 3);
  });

  it("fails the check run and lists the secret under earlier commits, linked to the commit that introduced it", () => {
    const { run, pull } = scanned;
    expect(run.conclusion).toBe("failure");
    const summary = run.output.summary ?? "";
    const introducing = pull.commits![1]!;
    expect(summary).toContain("### Secrets in earlier commits of this pull request");
    expect(summary).toContain(`[\`${introducing.slice(0, 7)}\`](https://github.com/acme/deleted/commit/${introducing})`);
    expect(summary).toMatch(/`src\/config\.ts` in commit .*rotate it/);
    expect(summary).not.toContain("### Findings");
    expect(summary).not.toContain(DELETED_KEY);
  });

  it("attempts no inline comment and no annotation for it, and says so in the summary comment", () => {
    expect(h.fake.state.reviewCommentsOf("acme", "deleted", 3)).toEqual([]);
    expect(h.fake.state.reviewsOf("acme", "deleted", 3)).toEqual([]);
    expect(scanned.run.annotations).toEqual([]);
    const [comment] = h.fake.state.issueCommentsOf("acme", "deleted", 3);
    expect(comment!.body).toContain("**Secrets in earlier commits of this pull request:** 1 (no longer in the head, but pushed: rotate them)");
    expect(h.fake.rejections()).toEqual([]);
  });

  it("costs one page of the commit list and one request per commit", () => {
    expect(listPages(scanned)).toHaveLength(1);
    expect(commitFetches(scanned).map((r) => r.path.split("/").pop())).toEqual(scanned.pull.commits);
  });
});

describe("a token added in commit 1 and still in the head", () => {
  let scanned: Scanned;
  beforeAll(async () => {
    const pull = withCommits("kept", {}, [
      { files: { "src/config.ts": `export const key = "${KEPT_KEY}";\n` } },
      { files: { "src/other.ts": "export const other = 2;\n" } },
    ]);
    scanned = await open(pull, 2);
  });

  it("is reported once, inline on its line, and not again from its commit", () => {
    expect(scanned.run.conclusion).toBe("failure");
    const comments = h.fake.state.reviewCommentsOf("acme", "kept", 3);
    expect(comments.map((c) => [c.path, c.line])).toEqual([["src/config.ts", 1]]);
    const summary = scanned.run.output.summary ?? "";
    expect(summary).not.toContain("earlier commits of this pull request");
    expect(summary.match(/`src\/config\.ts:1`/g)).toHaveLength(1);
    expect(scanned.run.annotations).toHaveLength(1);
    expect(commitFetches(scanned)).toHaveLength(2);
  });
});

describe("a single-commit pull request", () => {
  it("fetches no commit one by one (the head's diff is that commit)", async () => {
    const pull = addPullRequest(h.fake, { owner: "acme", repo: "single", number: 3, changes: [{ path: "src/a.ts", base: null, head: `const k = "${KEPT_KEY}";\n` }] });
    const scanned = await open(pull, 1);
    expect(scanned.run.conclusion).toBe("failure");
    expect(commitFetches(scanned)).toEqual([]);
    // Until the job carries the payload's `pull_request.commits`, one list page tells it; with it, none.
    expect(listPages(scanned)).toEqual([]);
  });
});

describe("cost in GitHub requests, bounded by the cap", () => {
  const cases = [10, 100, 130];
  const figures: string[] = [];
  afterAll(() => {
    console.log(`per-commit pass cost (list pages + commit fetches):\n${figures.join("\n")}`);
  });

  for (const n of cases) {
    it(`${n} commits: ceil(n / 100) list pages + min(n, ${DEFAULT_MAX_PULL_REQUEST_COMMITS}) commit fetches`, async () => {
      const commits: CommitSpec[] = Array.from({ length: n }, (_, i) => ({ files: { [`src/f${i % 7}.ts`]: `export const v = ${i};\n` } }));
      const pull = withCommits(`cost-${n}`, {}, commits);
      const started = performance.now();
      const scanned = await open(pull, n);
      const ms = Math.round(performance.now() - started);
      const pages = listPages(scanned).length;
      const fetches = commitFetches(scanned).length;
      expect(pages).toBe(Math.ceil(n / 100));
      expect(fetches).toBe(Math.min(n, DEFAULT_MAX_PULL_REQUEST_COMMITS));
      expect(scanned.run.conclusion).toBe("success");
      const summary = scanned.run.output.summary ?? "";
      if (n > DEFAULT_MAX_PULL_REQUEST_COMMITS) expect(summary).toContain(`${n - DEFAULT_MAX_PULL_REQUEST_COMMITS} more commits left out`);
      else expect(summary).not.toContain("left out");
      figures.push(`  ${n} commits: ${pages} list page(s) + ${fetches} commit fetches = ${pages + fetches} extra requests; ${scanned.requests.length} in all; ${ms} ms`);
    });
  }
});

describe("paths.ignore before any content fetch", () => {
  it("scans a pull request whose ignored vendor/ files GitHub would refuse to send, and counts them ignored", async () => {
    const repo = ensureRepo(h.fake, "acme", "vendored");
    repo.defaultBranchFiles.set(".github/pr-sentinel.yml", 'paths:\n  ignore:\n    - "vendor/**"\n');
    const vendorHead = Array.from({ length: 50 }, (_, i) => `module.exports.v${i} = ${i};`).join("\n") + "\n";
    const pull = addPullRequest(h.fake, {
      owner: "acme",
      repo: "vendored",
      number: 3,
      changes: [
        // Patches GitHub leaves out would make the source read both versions of the file.
        { path: "vendor/lib/big.js", base: "module.exports = {};\n", head: vendorHead, omitPatch: true },
        { path: "vendor/lib/other.js", base: null, head: `const key = "${KEPT_KEY}";\n`, omitPatch: true },
        { path: "src/app.ts", base: null, head: "export const app = 1;\n" },
      ],
    });
    const vendorBlobs = new Set([blobSha(vendorHead), blobSha(`const key = "${KEPT_KEY}";\n`)]);
    const readsVendor = (r: RecordedRequest) => r.path.includes("/contents/vendor") || (r.path.includes("/git/blobs/") && vendorBlobs.has(r.path.split("/").pop()!));
    h.fake.setChaos((r) => (readsVendor(r) ? { status: 500, message: "vendor files must not be read" } : undefined));
    try {
      const scanned = await open(pull, 1);
      expect(scanned.requests.filter(readsVendor)).toEqual([]);
      expect(scanned.run.conclusion).toBe("success");
      expect(scanned.run.output.summary).toContain("**Suppressed in this scan:** 2 files by `paths.ignore`.");
    } finally {
      h.fake.setChaos(undefined);
    }
  });
});

describe("the baseline the config names", () => {
  const BASELINED_KEY = fakeAwsKeyId("accepted by the baseline");
  const NEW_KEY = fakeAwsKeyId("new on the branch");

  async function baselineFor(...files: [path: string, line: string][]): Promise<string> {
    const config = configFromObject({}, "test", builtinChecks);
    const result = await runScan({ files: files.map(([path, line]) => addedFile(path, [line])), config, checks: builtinChecks, logger: pino({ level: "silent" }), offline: true });
    expect(result.findings).toHaveLength(files.length);
    return renderBaselineFile(baselineEntries(result.findings, "2026-03-01"), { date: "2026-03-01", format: "yaml", scope: "test" });
  }

  it("is read from the default branch: a baselined secret passes, in the head and in an earlier commit, and is counted", async () => {
    const line = `const key = "${BASELINED_KEY}";`;
    const gone = `const old = "${DELETED_KEY}";`;
    const repo = ensureRepo(h.fake, "acme", "baselined");
    repo.defaultBranchFiles.set(".github/pr-sentinel.yml", "baseline: .github/pr-sentinel-baseline.yml\n");
    repo.defaultBranchFiles.set(".github/pr-sentinel-baseline.yml", await baselineFor(["src/legacy.ts", line], ["src/gone.ts", gone]));
    const pull = withCommits("baselined", {}, [
      { files: { "src/legacy.ts": `${line}\n`, "src/gone.ts": `${gone}\n` } },
      { files: { "src/gone.ts": null, "src/app.ts": "export const a = 1;\n" } },
    ]);
    const scanned = await open(pull, 2);
    expect(scanned.run.conclusion).toBe("success");
    expect(scanned.run.output.summary).toContain("1 finding accepted by the baseline");
    expect(scanned.run.output.summary).not.toContain("earlier commits");
    expect(h.fake.state.reviewCommentsOf("acme", "baselined", 3)).toEqual([]);
  });

  it("does not accept a new secret, even when the branch adds its own baseline entry", async () => {
    const line = `const key = "${NEW_KEY}";`;
    const repo = ensureRepo(h.fake, "acme", "sneaky-baseline");
    repo.defaultBranchFiles.set(".github/pr-sentinel.yml", "baseline: .github/pr-sentinel-baseline.yml\n");
    repo.defaultBranchFiles.set(".github/pr-sentinel-baseline.yml", renderBaselineFile([], { date: "2026-03-01", format: "yaml", scope: "test" }));
    const pull = withCommits("sneaky-baseline", {}, [
      { files: { "src/new.ts": `${line}\n`, ".github/pr-sentinel-baseline.yml": await baselineFor(["src/new.ts", line]) } },
    ]);
    const scanned = await open(pull, 1);
    expect(scanned.run.conclusion).toBe("failure");
  });

  it("asks for action, naming the file and the line, when the baseline is missing or invalid", async () => {
    const repo = ensureRepo(h.fake, "acme", "bad-baseline");
    repo.defaultBranchFiles.set(".github/pr-sentinel.yml", "baseline: .github/missing.yml\n");
    const missing = await open(withCommits("bad-baseline", {}, [{ files: { "a.ts": "x\n" } }]), 1);
    expect(missing.run.conclusion).toBe("action_required");
    expect(missing.run.output.title).toBe("Invalid .github/missing.yml");
    expect(missing.run.output.summary).toContain("does not exist on the default branch");

    ensureRepo(h.fake, "acme", "bad-baseline-2").defaultBranchFiles.set(".github/pr-sentinel.yml", "baseline: b.yml\n");
    h.fake.state.repo("acme", "bad-baseline-2")!.defaultBranchFiles.set("b.yml", "version: 1\nentries:\n  - { fingerprint: nothex, rule: r, path: p, reason: baseline, date: 2026-03-01 }\n");
    const invalid = await open(withCommits("bad-baseline-2", {}, [{ files: { "a.ts": "x\n" } }]), 1);
    expect(invalid.run.conclusion).toBe("action_required");
    expect(invalid.run.output.summary).toMatch(/entries\[0\]\.fingerprint.*\(line 3\)/);
  });
});
