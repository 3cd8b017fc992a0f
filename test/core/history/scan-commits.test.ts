import { describe, expect, it } from "vitest";
import { secretsCheck } from "../../../src/checks/secrets/index.js";
import { scanCommits } from "../../../src/core/history/scan-commits.js";
import { addedFile } from "../../checks/secrets/harness.js";
import { configFor, silentLogger, testCheck } from "../helpers/test-checks.js";
import { commit, commitStream, liveLookingGithubToken } from "./commit-fixtures.js";

const checks = [secretsCheck];
const run = (commits: Parameters<typeof commitStream>[0], extra: Partial<Parameters<typeof scanCommits>[0]> = {}, config: Record<string, unknown> = {}) =>
  scanCommits({ commits: commitStream(commits), config: configFor(checks, config), checks, logger: silentLogger, today: "2026-06-15", ...extra });

describe("scanCommits", () => {
  it("finds a secret in the commit that added it, tagged with the commit and not commentable", async () => {
    const token = liveLookingGithubToken();
    const c1 = commit("one", [addedFile("config.env", [`GITHUB_TOKEN=${token}`])], "2025-03-04T05:06:07+02:00");
    const c2 = commit("two", [addedFile("README.md", ["nothing here"])]);
    const result = await run([c1, c2]);
    expect(result.commitsScanned).toBe(2);
    expect(result.commitsLeftOut).toBe(0);
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ commit: c1.sha, authorDate: "2025-03-04T05:06:07+02:00", path: "config.env", commentable: false, checkId: "secrets" });
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it("keeps only the first commit of a secret that stays or moves to another file", async () => {
    const token = liveLookingGithubToken();
    const c1 = commit("one", [addedFile("a.env", [`GITHUB_TOKEN=${token}`])]);
    const c2 = commit("two", [addedFile("b.env", [`TOKEN=${token}`])]);
    const c3 = commit("three", [addedFile("a.env", [`GITHUB_TOKEN=${token}`, "EXTRA=1"], "modified")]);
    const result = await run([c1, c2, c3]);
    expect(result.findings.map((f) => [f.commit, f.path])).toEqual([[c1.sha, "a.env"]]);
  });

  it("attributes each finding to its own commit when several commits are scanned together", async () => {
    const [t1, t2] = [liveLookingGithubToken(), liveLookingGithubToken()];
    // Report order puts a.env first; the secret in both must still go to the older commit (z.env).
    const c1 = commit("one", [addedFile("z.env", [`GITHUB_TOKEN=${t1}`])]);
    const c2 = commit("two", [addedFile("a.env", [`GITHUB_TOKEN=${t1}`]), addedFile("m.env", [`GITHUB_TOKEN=${t2}`])]);
    const c3 = commit("three", [addedFile("m.env", [`GITHUB_TOKEN=${t2}`, "X=1"], "modified")]);
    const result = await run([c1, c2, c3]);
    expect(result.findings.map((f) => [f.path, f.commit])).toEqual([
      ["z.env", c1.sha],
      ["m.env", c2.sha],
    ]);
    expect(result.filesScanned).toBe(4);
  });

  it("points help links where the head scan does (PR_SENTINEL_DOCS_URL)", async () => {
    const c1 = commit("one", [addedFile("config.env", [`GITHUB_TOKEN=${liveLookingGithubToken()}`])]);
    const result = await run([c1], { docsBaseUrl: "https://ghe.example.com/sec/pr-sentinel/blob/main/docs" });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.helpUrl).toMatch(/^https:\/\/ghe\.example\.com\/sec\/pr-sentinel\/blob\/main\/docs\//);
  });

  it("keeps one secret in two files of the same commit twice: each place needs cleaning", async () => {
    const token = liveLookingGithubToken();
    const c1 = commit("one", [addedFile("a.env", [`GITHUB_TOKEN=${token}`]), addedFile("b.env", [`GITHUB_TOKEN=${token}`])]);
    const result = await run([c1]);
    expect(result.findings.map((f) => f.path).sort()).toEqual(["a.env", "b.env"]);
  });

  it("applies paths.ignore, inline markers and the baseline as the head scan does", async () => {
    const [t1, t2, t3] = [liveLookingGithubToken(), liveLookingGithubToken(), liveLookingGithubToken()];
    const c1 = commit("one", [
      addedFile("vendor/x.env", [`GITHUB_TOKEN=${t1}`]),
      addedFile("b.env", [`GITHUB_TOKEN=${t2} # pr-sentinel-ignore`]),
      addedFile("c.env", [`GITHUB_TOKEN=${t3}`]),
    ]);
    const first = await run([c1], {}, { paths: { ignore: ["vendor/**"] } });
    expect(first.findings.map((f) => f.path)).toEqual(["c.env"]);
    const baseline = { source: "baseline.yml", fingerprints: new Set([first.findings[0]!.fingerprint]) };
    const second = await run([c1], { baseline }, { paths: { ignore: ["vendor/**"] } });
    expect(second.findings).toEqual([]);
  });

  it("stops at the cap without pulling another commit when the total is known", async () => {
    const commits = ["a", "b", "c", "d", "e"].map((n) => commit(n, [addedFile(`${n}.txt`, ["x"])]));
    const stream = commitStream(commits);
    const result = await scanCommits({ commits: stream, config: configFor(checks), checks, logger: silentLogger, maxCommits: 2, totalCommits: 5 });
    expect([result.commitsScanned, result.commitsLeftOut, result.leftOutExact]).toEqual([2, 3, true]);
    expect(stream.pulled).toBe(2);
    expect(stream.closed).toBe(true);
  });

  it("without a total, says at least one commit was left out", async () => {
    const commits = ["a", "b", "c"].map((n) => commit(n, [addedFile(`${n}.txt`, ["x"])]));
    const result = await run(commits, { maxCommits: 2 });
    expect([result.commitsScanned, result.commitsLeftOut, result.leftOutExact]).toEqual([2, 1, false]);
  });

  it("passes on the source's notes and reports a check that failed on a commit as incomplete", async () => {
    const c1 = commit("one", [addedFile("a.txt", ["x"])], undefined, ["commit 1234567 is larger than 1 MB; its diff was cut"]);
    const failing = [testCheck("secrets", async () => ({ findings: [], incomplete: ["a.txt could not be read"] }))];
    const result = await scanCommits({ commits: commitStream([c1]), config: configFor(failing), checks: failing, logger: silentLogger });
    expect(result.notes).toEqual(["commit 1234567 is larger than 1 MB; its diff was cut"]);
    expect(result.incomplete).toHaveLength(1);
    expect(result.incomplete[0]).toMatchObject({ checkId: "secrets" });
    expect(result.incomplete[0]!.message).toMatch(/^commit [0-9a-f]{7}: a.txt could not be read$/);
  });

  it("stops on an aborted signal and says so", async () => {
    const controller = new AbortController();
    controller.abort(new Error("superseded"));
    const result = await run([commit("one", [addedFile("a.txt", ["x"])])], { signal: controller.signal });
    expect(result.commitsScanned).toBe(0);
    expect(result.incomplete.map((p) => p.message)).toEqual(["aborted after 0 commits"]);
  });
});
