/** `PR_SENTINEL_DOCS_URL`: one setting moves every help link and SARIF's `informationUri` (forks, Enterprise Server mirrors). */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixtureRepo, type FixtureRepo } from "../helpers/git-repo.js";
import { fakeAwsKeyId } from "../helpers/fake-github/test-checks.js";
import { cli } from "./cli-harness.js";

let repo: FixtureRepo;
beforeEach(() => {
  repo = createFixtureRepo();
  repo.commitFiles("base", { "README.md": "# x\n" });
  repo.commitFiles("add a key", { "config.env": `AWS_ACCESS_KEY_ID=${fakeAwsKeyId("docs-url")}\n` });
});
afterEach(() => repo.cleanup());

describe("PR_SENTINEL_DOCS_URL", () => {
  const base = "https://git.example.test/security/pr-sentinel/blob/main/docs";

  it("points every finding's and rule's help link, and SARIF's informationUri, at the configured docs", async () => {
    const env = { PR_SENTINEL_DOCS_URL: base };
    const json = JSON.parse((await cli(["scan", "--base", "HEAD~1", "-f", "json", "--offline"], { cwd: repo.dir, env })).stdout) as { findings: { helpUrl: string }[]; rules: { helpUrl: string }[] };
    expect(json.findings.length).toBeGreaterThan(0);
    for (const f of json.findings) expect(f.helpUrl.startsWith(`${base}/checks/`)).toBe(true);
    for (const r of json.rules) expect(r.helpUrl.startsWith(`${base}/checks/`)).toBe(true);
    const sarif = JSON.parse((await cli(["scan", "--base", "HEAD~1", "-f", "sarif", "--offline"], { cwd: repo.dir, env })).stdout) as { runs: { tool: { driver: { informationUri: string } } }[] };
    expect(sarif.runs[0]!.tool.driver.informationUri).toBe("https://git.example.test/security/pr-sentinel");
  });

  it("keeps the project's own docs by default, and refuses a URL that is not https", async () => {
    const json = JSON.parse((await cli(["scan", "--base", "HEAD~1", "-f", "json", "--offline"], { cwd: repo.dir })).stdout) as { findings: { helpUrl: string }[] };
    expect(json.findings[0]!.helpUrl).toMatch(/^https:\/\/github\.com\/pr-sentinel\/pr-sentinel\/blob\/main\/docs\/checks\//);
    const bad = await cli(["scan", "--base", "HEAD~1", "--offline"], { cwd: repo.dir, env: { PR_SENTINEL_DOCS_URL: "http://insecure.example.test/docs" } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/PR_SENTINEL_DOCS_URL/);
  });
});
