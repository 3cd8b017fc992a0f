/**
 * The commit list of a pull request against the fake GitHub over real HTTP: oldest first, 100 a
 * page, capped at GitHub's 250 and said to be.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrSentinelOctokit } from "../../../src/app/github/pr-sentinel-octokit.js";
import { GITHUB_MAX_PULL_COMMITS, listPullRequestCommits } from "../../../src/sources/github/list-pull-request-commits.js";
import type { GitHubClient } from "../../../src/sources/github/octokit.js";
import { addPullRequest, addPullRequestWithCommits, type CommitSpec } from "../../helpers/fake-github/scenario.js";
import { FakeGitHub } from "../../helpers/fake-github/server.js";

let fake: FakeGitHub;
let octokit: GitHubClient;

beforeAll(async () => {
  fake = new FakeGitHub({ appId: 1, publicKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey });
  await fake.start();
  octokit = new PrSentinelOctokit({ auth: { token: fake.issueToken() }, baseUrl: `http://${fake.host}/api/v3`, throttle: { enabled: false } }) as unknown as GitHubClient;
});

afterAll(async () => {
  await fake?.stop();
});

function commitsWriting(count: number): CommitSpec[] {
  return Array.from({ length: count }, (_, i) => ({ files: { [`src/f${i}.txt`]: `line of commit ${i + 1}\n` } }));
}

describe("listPullRequestCommits", () => {
  it("lists the commits oldest first with their author dates and parents, 100 a page", async () => {
    const pull = addPullRequestWithCommits(fake, { owner: "o", repo: "list", number: 1, base: {}, commits: commitsWriting(150) });
    const from = fake.requests.length;
    const listed = await listPullRequestCommits({ octokit, owner: "o", repo: "list", pullNumber: 1 });
    expect(listed.capped).toBe(false);
    expect(listed.commits.map((c) => c.sha)).toEqual(pull.commits);
    expect(listed.commits[0]!.parentShas).toEqual([pull.baseSha]);
    expect(listed.commits[1]!.authorDate).toBe("2026-03-01T10:01:00Z");
    const pages = fake.since(from);
    expect(pages.map((r) => r.query.get("page") ?? "1")).toEqual(["1", "2"]);
    expect(pages.every((r) => r.query.get("per_page") === "100" && r.problems.length === 0)).toBe(true);
  });

  it("says the list is capped when GitHub stops at 250 commits", async () => {
    addPullRequestWithCommits(fake, { owner: "o", repo: "long", number: 1, base: {}, commits: commitsWriting(260) });
    const listed = await listPullRequestCommits({ octokit, owner: "o", repo: "long", pullNumber: 1 });
    expect(listed.commits).toHaveLength(GITHUB_MAX_PULL_COMMITS);
    expect(listed.capped).toBe(true);
  });

  it("reads a pull request built without commits (the other tests' kind) as one commit: its head", async () => {
    const pull = addPullRequest(fake, { owner: "o", repo: "single", number: 1, changes: [{ path: "a.txt", base: null, head: "a\n" }] });
    const listed = await listPullRequestCommits({ octokit, owner: "o", repo: "single", pullNumber: 1 });
    expect(listed.commits).toEqual([{ sha: pull.headSha, authorDate: "2026-03-01T10:00:00Z", parentShas: [pull.baseSha] }]);
  });

  it("skips list items without a usable SHA rather than put them in a URL", async () => {
    const client = { paginate: { iterator: async function* () { yield { data: [{ sha: "../../x" }, { sha: "a".repeat(40), commit: { author: null, committer: { date: "2026-01-01T00:00:00Z" } }, parents: [{ sha: "nope" }] }] }; } } };
    const listed = await listPullRequestCommits({ octokit: client as unknown as GitHubClient, owner: "o", repo: "r", pullNumber: 1 });
    expect(listed.commits).toEqual([{ sha: "a".repeat(40), authorDate: "2026-01-01T00:00:00Z", parentShas: [] }]);
  });
});
