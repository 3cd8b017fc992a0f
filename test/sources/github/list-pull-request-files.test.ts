import { describe, expect, it } from "vitest";
import { GITHUB_MAX_PULL_FILES, listPullRequestFiles } from "../../../src/sources/github/list-pull-request-files.js";
import { fakeClient } from "./fake-client.js";

const entry = (i: number) => ({ filename: `f${i}.txt`, status: "added", sha: `s${i}`, changes: 1, patch: `@@ -0,0 +1,1 @@\n+line ${i}` });

function pagesOf(count: number) {
  const pages: unknown[][] = [];
  for (let i = 0; i < count; i += 100) pages.push(Array.from({ length: Math.min(100, count - i) }, (_, j) => entry(i + j)));
  return pages;
}

describe("listPullRequestFiles", () => {
  it("collects every page into changed files", async () => {
    const { client } = fakeClient({ pages: pagesOf(250) });
    const source = await listPullRequestFiles({ octokit: client, owner: "o", repo: "r", pullNumber: 1, baseSha: "b", headSha: "h", expectedFileCount: 250 });
    expect(source.files).toHaveLength(250);
    expect(source.files[249]!.addedLines).toEqual([{ line: 1, text: "line 249" }]);
    expect(source.notes).toEqual([]);
  });

  it("stops at GitHub's 3000 files and says the scan is partial", async () => {
    const { client } = fakeClient({ pages: pagesOf(3100) });
    const source = await listPullRequestFiles({ octokit: client, owner: "o", repo: "r", pullNumber: 1, baseSha: "b", headSha: "h", expectedFileCount: 4000 });
    expect(source.files).toHaveLength(GITHUB_MAX_PULL_FILES);
    expect(source.notes).toEqual([expect.stringContaining("partial")]);
  });

  it("does not call exactly 3000 files partial when that is all there is", async () => {
    const { client } = fakeClient({ pages: pagesOf(3000) });
    const source = await listPullRequestFiles({ octokit: client, owner: "o", repo: "r", pullNumber: 1, baseSha: "b", headSha: "h", expectedFileCount: 3000 });
    expect(source.notes).toEqual([]);
  });

  it("applies paths.ignore before any content fetch: an ignored file without a patch is not read", async () => {
    const page = [
      { filename: "vendor/huge.js", status: "modified", sha: "v1", changes: 90_000 },
      { filename: "src/big.ts", status: "modified", sha: "s1", changes: 3 },
    ];
    const { client, calls } = fakeClient({ pages: [page], files: { "vendor/huge.js@b": "x\n", "blob:v1": "x\ny\n", "src/big.ts@b": "a\n", "blob:s1": "a\nb\n" } });
    const source = await listPullRequestFiles({
      octokit: client, owner: "o", repo: "r", pullNumber: 1, baseSha: "b", headSha: "h",
      isIgnored: (p) => p.startsWith("vendor/"),
    });
    expect(calls.sort()).toEqual(["blob:s1", "src/big.ts@b"]);
    expect(source.files.map((f) => [f.path, f.addedLines.length])).toEqual([["vendor/huge.js", 0], ["src/big.ts", 1]]);
  });
});
