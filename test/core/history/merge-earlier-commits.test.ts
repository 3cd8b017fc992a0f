import { describe, expect, it } from "vitest";
import { secretsCheck } from "../../../src/checks/secrets/index.js";
import { runScan } from "../../../src/core/engine.js";
import { historyScanResult, withEarlierCommitFindings } from "../../../src/core/history/merge-earlier-commits.js";
import { scanCommits } from "../../../src/core/history/scan-commits.js";
import type { CommitChange } from "../../../src/core/history/types.js";
import type { ChangedFile } from "../../../src/core/types.js";
import { addedFile } from "../../checks/secrets/harness.js";
import { configFor, silentLogger, testCheck } from "../helpers/test-checks.js";
import { commit, commitStream, liveLookingGithubToken } from "./commit-fixtures.js";

const checks = [secretsCheck];

async function scanBoth(headFiles: readonly ChangedFile[], commits: readonly CommitChange[], config: Record<string, unknown> = {}) {
  const cfg = configFor(checks, config);
  const head = await runScan({ files: headFiles, config: cfg, checks, logger: silentLogger, today: "2026-06-15" });
  const history = await scanCommits({ commits: commitStream(commits), config: cfg, checks, logger: silentLogger, today: "2026-06-15" });
  return { head, history, merged: withEarlierCommitFindings(head, history, cfg) };
}

describe("withEarlierCommitFindings", () => {
  it("adds a secret deleted again on the branch, names its commit, says rotate it, and fails the verdict", async () => {
    const token = liveLookingGithubToken();
    const c1 = commit("add", [addedFile("deploy.env", [`GITHUB_TOKEN=${token}`])], "2025-05-06T07:08:09Z");
    const c2 = commit("remove", []);
    const { head, merged } = await scanBoth([addedFile("README.md", ["docs"])], [c1, c2]);
    expect(head.verdict.conclusion).toBe("pass");
    expect(merged.verdict.conclusion).toBe("fail");
    expect(merged.findings).toHaveLength(1);
    const [f] = merged.findings;
    expect(f).toMatchObject({ path: "deploy.env", commentable: false, properties: { commit: c1.sha, commit_date: "2025-05-06T07:08:09Z", not_in_head: true } });
    expect(f!.message).toContain(`committed in ${c1.sha.slice(0, 7)}`);
    expect(f!.message).toContain("rotate it");
    expect(f).not.toHaveProperty("commit");
    expect(merged.outcomes.find((o) => o.checkId === "secrets")?.findingCount).toBe(1);
    expect(merged.notes.join("\n")).toMatch(/2 commits one by one: 1 finding only in earlier commits/);
  });

  it("does not report twice a secret still in the head", async () => {
    const token = liveLookingGithubToken();
    const file = addedFile("deploy.env", [`GITHUB_TOKEN=${token}`]);
    const { merged } = await scanBoth([file], [commit("add", [addedFile("old/deploy.env", [`GITHUB_TOKEN=${token}`])]), commit("move", [file])]);
    expect(merged.findings.map((f) => [f.path, f.commentable])).toEqual([["deploy.env", true]]);
    expect(merged.notes.join("\n")).toContain("nothing found that the head does not show");
  });

  it("does not report a secret the head suppresses (marker added after the commit that added the secret)", async () => {
    const token = liveLookingGithubToken();
    const head = addedFile("deploy.env", [`GITHUB_TOKEN=${token} # pr-sentinel-ignore`]);
    const { merged } = await scanBoth([head], [commit("add", [addedFile("deploy.env", [`GITHUB_TOKEN=${token}`])]), commit("mark", [head])]);
    expect(merged.findings).toEqual([]);
    expect(merged.verdict.conclusion).toBe("pass");
  });

  it("names the cap in its note", async () => {
    const commits = ["a", "b", "c"].map((n) => commit(n, [addedFile(`${n}.txt`, ["x"])]));
    const cfg = configFor(checks);
    const head = await runScan({ files: [], config: cfg, checks, logger: silentLogger });
    const history = await scanCommits({ commits: commitStream(commits), config: cfg, checks, logger: silentLogger, maxCommits: 1, totalCommits: 3 });
    expect(withEarlierCommitFindings(head, history, cfg).notes.join("\n")).toContain("2 more commits left out (cap: 1)");
  });

  it("turns what a check could not judge in a commit into an error outcome, which on_error decides", async () => {
    const failing = [testCheck("secrets", async () => ({ findings: [], incomplete: ["a.txt could not be read"] }))];
    const ok = [testCheck("secrets", async () => [])];
    const cfg = configFor(failing, { on_error: "fail" });
    const head = await runScan({ files: [], config: cfg, checks: ok, logger: silentLogger });
    const history = await scanCommits({ commits: commitStream([commit("a", [addedFile("a.txt", ["x"])])]), config: cfg, checks: failing, logger: silentLogger });
    const merged = withEarlierCommitFindings(head, history, cfg);
    expect(merged.outcomes[0]).toMatchObject({ checkId: "secrets", status: "error" });
    expect(merged.outcomes[0]!.message).toMatch(/^commit [0-9a-f]{7}: a.txt could not be read$/);
    expect(merged.verdict.conclusion).toBe("fail");
  });
});

describe("historyScanResult", () => {
  it("reports each finding with its commit and date, without claiming anything about the head", async () => {
    const token = liveLookingGithubToken();
    const cfg = configFor(checks);
    const base = await runScan({ files: [], config: cfg, checks, logger: silentLogger });
    const c1 = commit("add", [addedFile("deploy.env", [`GITHUB_TOKEN=${token}`])], "2019-02-03T04:05:06Z");
    const history = await scanCommits({ commits: commitStream([c1]), config: cfg, checks, logger: silentLogger, maxCommits: Infinity });
    const result = historyScanResult(base, history, cfg);
    expect(result.verdict.conclusion).toBe("fail");
    expect(result.findings[0]!.message).toContain(`introduced in commit ${c1.sha.slice(0, 7)} (2019-02-03)`);
    expect(result.findings[0]!.properties).toMatchObject({ commit: c1.sha, commit_date: "2019-02-03T04:05:06Z" });
    expect(result.findings[0]!.properties).not.toHaveProperty("not_in_head");
    expect(result.notes).toContain("Scanned 1 commit one by one for secrets.");
  });
});
