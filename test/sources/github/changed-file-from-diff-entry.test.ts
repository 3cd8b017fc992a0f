import { describe, expect, it } from "vitest";
import { createContentReader } from "../../../src/sources/github/content-reader.js";
import { changedFileFromDiffEntry, type DiffEntry, type DiffEntryContext } from "../../../src/sources/github/changed-file-from-diff-entry.js";
import { fakeClient } from "./fake-client.js";

function setup(files: Record<string, string | number> = {}, extra: Partial<DiffEntryContext> = {}) {
  const fake = fakeClient({ files });
  const notes: string[] = [];
  const context = { reader: createContentReader({ octokit: fake.client, owner: "o", repo: "r" }), baseSha: "BASE", headSha: "HEAD", notes, ...extra };
  return { fake, notes, convert: (entry: DiffEntry) => changedFileFromDiffEntry(entry, context) };
}

describe("changedFileFromDiffEntry", () => {
  it("takes added and commentable lines from the patch, reading nothing", async () => {
    const { fake, convert } = setup();
    const file = await convert({ filename: "a.ts", status: "modified", sha: "h1", changes: 2, patch: "@@ -1,2 +1,3 @@\n one\n-two\n+TWO\n+three" });
    expect(file).toMatchObject({ path: "a.ts", status: "modified", binary: false, patchMissing: false });
    expect(file.addedLines).toEqual([{ line: 2, text: "TWO" }, { line: 3, text: "three" }]);
    expect([...file.commentableLines].sort()).toEqual([1, 2, 3]);
    expect(fake.calls).toEqual([]);
  });

  it("rebuilds added lines from base and head when GitHub omitted the patch; nothing is commentable", async () => {
    const { fake, convert } = setup({ "big.txt@BASE": "a\nb\n", "blob:h2": "a\nb\nc\n" });
    const file = await convert({ filename: "big.txt", status: "modified", sha: "h2", changes: 5000 });
    expect(file.patchMissing).toBe(true);
    expect(file.addedLines).toEqual([{ line: 3, text: "c" }]);
    expect(file.commentableLines.size).toBe(0);
    expect(fake.calls.sort()).toEqual(["big.txt@BASE", "blob:h2"]);
  });

  it("reads the base of a renamed file at its previous path", async () => {
    const { fake, convert } = setup({ "old.txt@BASE": "x\n", "blob:h3": "x\ny\n" });
    const file = await convert({ filename: "new.txt", previous_filename: "old.txt", status: "renamed", sha: "h3", changes: 1 });
    expect(file.previousPath).toBe("old.txt");
    expect(await file.readBase()).toBe("x\n");
    expect(fake.calls).toContain("old.txt@BASE");
  });

  it("treats a patchless change with no counted lines as binary, and a pure rename as text", async () => {
    const { convert } = setup();
    expect((await convert({ filename: "logo.png", status: "added", sha: "b", changes: 0 })).binary).toBe(true);
    expect((await convert({ filename: "moved.txt", previous_filename: "was.txt", status: "renamed", sha: "c", changes: 0 })).binary).toBe(false);
  });

  it("says so in a note when a patchless file cannot be read", async () => {
    const { notes, convert } = setup({ "blob:h4": 500 });
    const file = await convert({ filename: "huge.sql", status: "added", sha: "h4", changes: 90_000 });
    expect(file.addedLines).toEqual([]);
    expect(notes).toEqual([expect.stringContaining("huge.sql")]);
  });

  it("knows that a removed file has no head and an added file no base, without asking", async () => {
    const { fake, convert } = setup();
    const removed = await convert({ filename: "gone.txt", status: "removed", sha: null, changes: 3, patch: "@@ -1,1 +0,0 @@\n-x" });
    const added = await convert({ filename: "new.txt", status: "added", sha: "n", changes: 1, patch: "@@ -0,0 +1,1 @@\n+x" });
    expect(await removed.readHead()).toBeNull();
    expect(await added.readBase()).toBeNull();
    expect(fake.calls).toEqual([]);
  });

  it("maps GitHub's other statuses to modified", async () => {
    const { convert } = setup();
    expect((await convert({ filename: "x.sh", status: "changed", sha: "s", changes: 0 })).status).toBe("modified");
  });

  it("passes a paths.ignore'd file on unread: no patch parsed, no content fetched, even without a patch", async () => {
    const { fake, convert, notes } = setup({ "vendor/big.js@BASE": "a\n", "blob:v1": "a\nb\n" }, { isIgnored: (p) => p.startsWith("vendor/") });
    const unpatched = await convert({ filename: "vendor/big.js", status: "modified", sha: "v1", changes: 5000 });
    const patched = await convert({ filename: "vendor/small.js", status: "added", sha: "v2", changes: 1, patch: "@@ -0,0 +1 @@\n+x" });
    for (const file of [unpatched, patched]) {
      expect(file).toMatchObject({ binary: false, patchMissing: false, addedLines: [] });
      expect(file.commentableLines.size).toBe(0);
    }
    expect(fake.calls).toEqual([]);
    expect(notes).toEqual([]);
    const kept = await convert({ filename: "src/a.js", status: "added", sha: "a1", changes: 1, patch: "@@ -0,0 +1 @@\n+x" });
    expect(kept.addedLines).toEqual([{ line: 1, text: "x" }]);
  });

  it("with rebuilding off, leaves a patchless file unscanned with a note naming where it came from", async () => {
    const { fake, convert, notes } = setup({}, { rebuildMissingPatch: false, commitLabel: "commit 1a2b3c4" });
    const file = await convert({ filename: "big.txt", status: "modified", sha: "h2", changes: 5000 });
    expect(file).toMatchObject({ patchMissing: true, addedLines: [] });
    expect(fake.calls).toEqual([]);
    expect(notes).toEqual(["GitHub sent no diff for big.txt in commit 1a2b3c4; its changes there were not scanned."]);
  });
});
