/**
 * The per-commit source against the fake GitHub over real HTTP: one request per commit for its
 * files, at most 4 at once, in commit order, and `paths.ignore`d files never read.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrSentinelOctokit } from "../../../src/app/github/pr-sentinel-octokit.js";
import { createPathMatcher } from "../../../src/core/paths.js";
import { addedLineView } from "../../../src/core/added-line-view.js";
import { commitChanges } from "../../../src/sources/github/commit-changes.js";
import { listPullRequestCommits } from "../../../src/sources/github/list-pull-request-commits.js";
import type { GitHubClient } from "../../../src/sources/github/octokit.js";
import { addPullRequestWithCommits, type CommitSpec } from "../../helpers/fake-github/scenario.js";
import { FakeGitHub } from "../../helpers/fake-github/server.js";
import { collect } from "../../helpers/collect.js";

let fake: FakeGitHub;
let octokit: GitHubClient;

beforeAll(async () => {
  fake = new FakeGitHub({ appId: 1, publicKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey, latencyMs: 5 });
  await fake.start();
  octokit = new PrSentinelOctokit({
    auth: { token: fake.issueToken() },
    baseUrl: `http://${fake.host}/api/v3`,
    throttle: { enabled: false },
  }) as unknown as GitHubClient;
});

afterAll(async () => {
  await fake?.stop();
});


function commitsWriting(count: number, path = (i: number) => `src/f${i}.txt`): CommitSpec[] {
  return Array.from({ length: count }, (_, i) => ({ files: { [path(i)]: `line of commit ${i + 1}\n` } }));
}

describe("commitChanges", () => {
  it("yields each commit's own added lines, in order, with one request per commit and at most 4 at once", async () => {
    addPullRequestWithCommits(fake, { owner: "o", repo: "each", number: 1, base: { "a.txt": "one\n" }, commits: [
      { files: { "a.txt": "one\ntwo\n" } },
      { files: { "b.txt": "bee\n" } },
      { files: { "a.txt": "one\n" } },
      ...commitsWriting(9),
    ] });
    fake.slowDown((r) => r.path.startsWith("/repos/o/each/commits/"), 40);
    const { commits } = await listPullRequestCommits({ octokit, owner: "o", repo: "each", pullNumber: 1 });
    const from = fake.requests.length;
    const changes = await collect(commitChanges({ octokit, owner: "o", repo: "each", commits }));
    const requests = fake.since(from);
    fake.clearFaults();

    expect(changes.map((c) => c.sha)).toEqual(commits.map((c) => c.sha));
    expect(changes[0]!.files.map((f) => [f.path, f.status, f.addedLines])).toEqual([["a.txt", "modified", [{ line: 2, text: "two" }]]]);
    expect(changes[1]!.files[0]).toMatchObject({ path: "b.txt", status: "added", addedLines: [{ line: 1, text: "bee" }] });
    expect(changes[2]!.files[0]).toMatchObject({ path: "a.txt", addedLines: [] });
    expect(changes[1]!.authorDate).toBe(commits[1]!.authorDate);
    expect(requests).toHaveLength(12);
    expect(requests.every((r) => r.method === "GET" && /^\/repos\/o\/each\/commits\/[0-9a-f]{40}$/.test(r.path) && r.problems.length === 0)).toBe(true);
    expect(maxConcurrent(requests)).toBeLessThanOrEqual(4);
    expect(maxConcurrent(requests)).toBeGreaterThan(1);
  });

  it("never reads an ignored file, and does not rebuild a diff GitHub left out", async () => {
    const big = Array.from({ length: 5 }, (_, i) => `vendor line ${i}`).join("\n") + "\n";
    const pull = addPullRequestWithCommits(fake, { owner: "o", repo: "ignored", number: 1, base: {}, commits: [
      { files: { "vendor/lib.js": big, "src/app.ts": "const a = 1;\n" } },
      { files: { "src/huge.txt": "huge\n" } },
    ] });
    // GitHub leaves out the patches of very large diffs.
    const repo = fake.state.repo("o", "ignored")!;
    const [first, second] = pull.commits!.map((sha) => repo.commitDetails.get(sha)!);
    for (const entry of [...first!.files, ...second!.files]) if (entry.filename !== "src/app.ts") delete entry.patch;

    const { commits } = await listPullRequestCommits({ octokit, owner: "o", repo: "ignored", pullNumber: 1 });
    const from = fake.requests.length;
    const changes = await collect(commitChanges({ octokit, owner: "o", repo: "ignored", commits, isIgnored: createPathMatcher(["vendor/**"]) }));
    const requests = fake.since(from);
    expect(requests.map((r) => r.path.split("/")[4])).toEqual(["commits", "commits"]);
    const vendor = changes[0]!.files.find((f) => f.path === "vendor/lib.js")!;
    expect(addedLineView(vendor).count).toBe(0);
    expect(changes[0]!.files.find((f) => f.path === "src/app.ts")!.addedLines).toEqual([{ line: 1, text: "const a = 1;" }]);
    expect(changes[0]!.notes).toBeUndefined();
    expect(changes[1]!.files[0]).toMatchObject({ path: "src/huge.txt", patchMissing: true, addedLines: [] });
    expect(changes[1]!.notes).toEqual([`GitHub sent no diff for src/huge.txt in commit ${commits[1]!.sha.slice(0, 7)}; its changes there were not scanned.`]);
  });

  it("scans the first 300 files of a larger commit and says so", async () => {
    const files = Object.fromEntries(Array.from({ length: 310 }, (_, i) => [`f/${String(i).padStart(3, "0")}.txt`, `x${i}\n`]));
    addPullRequestWithCommits(fake, { owner: "o", repo: "wide", number: 1, base: {}, commits: [{ files }, { files: { "z.txt": "z\n" } }] });
    const { commits } = await listPullRequestCommits({ octokit, owner: "o", repo: "wide", pullNumber: 1 });
    const changes = await collect(commitChanges({ octokit, owner: "o", repo: "wide", commits }));
    expect(changes[0]!.files).toHaveLength(300);
    expect(changes[0]!.notes).toEqual([expect.stringContaining("more than 300 files")]);
    expect(changes[1]!.notes).toBeUndefined();
  });

  it("fails the iteration with GitHub's error, naming nothing secret", async () => {
    addPullRequestWithCommits(fake, { owner: "o", repo: "broken", number: 1, base: {}, commits: commitsWriting(3) });
    const { commits } = await listPullRequestCommits({ octokit, owner: "o", repo: "broken", pullNumber: 1 });
    fake.failNext((r) => r.path === `/repos/o/broken/commits/${commits[1]!.sha}`, 500);
    await expect(collect(commitChanges({ octokit, owner: "o", repo: "broken", commits }))).rejects.toMatchObject({ status: 500 });
  });
});

/** The most requests in flight at once, from their arrival times and a floor on how long each took. */
function maxConcurrent(requests: readonly { at: number }[]): number {
  // Each answer is delayed 40 ms by the slowdown: requests that arrived within that window overlapped.
  let most = 0;
  for (const r of requests) most = Math.max(most, requests.filter((o) => o.at >= r.at && o.at < r.at + 40).length);
  return most;
}
