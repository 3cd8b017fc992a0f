import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ContentError, type ChangedFile } from "../../../src/core/types.js";
import { openGitChange, type GitChange } from "../../../src/sources/git/open-git-change.js";
import { GitSourceError } from "../../../src/sources/git/run-git.js";
import { createFixtureRepo, GIT_TEST_ENV, type FixtureRepo } from "../../helpers/git-repo.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function repo(branch?: string): FixtureRepo {
  const r = createFixtureRepo({ branch });
  cleanups.push(() => r.cleanup());
  return r;
}

async function open(options: Parameters<typeof openGitChange>[0]): Promise<GitChange> {
  const change = await openGitChange({ env: GIT_TEST_ENV, ...options });
  cleanups.push(() => change.close());
  return change;
}

function file(change: GitChange, path: string): ChangedFile {
  const found = change.files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in ${change.files.map((f) => f.path).join(", ")}`);
  return found;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("openGitChange over a commit range", () => {
  it("lists added, modified, renamed and removed files with their added lines and lazy contents", async () => {
    const r = repo();
    const base = r.commitFiles("base", {
      "keep.txt": "one\ntwo\nthree\n",
      "gone.txt": "bye\n",
      "old/name.txt": Array.from({ length: 10 }, (_, i) => `row ${i}`).join("\n") + "\n",
    });
    r.remove("gone.txt");
    r.remove("old/name.txt");
    const head = r.commitFiles("head", {
      "keep.txt": "one\ntwo changed\nthree\nfour\n",
      "fresh.txt": "hello\n",
      "new/name.txt": Array.from({ length: 10 }, (_, i) => `row ${i}`).join("\n") + "\nrow 10\n",
    });

    const change = await open({ cwd: r.dir, base, head });
    expect(change.baseId).toBe(base);
    expect(change.headId).toBe(head);
    expect(change.files.map((f) => [f.path, f.status]).sort()).toEqual([
      ["fresh.txt", "added"],
      ["gone.txt", "removed"],
      ["keep.txt", "modified"],
      ["new/name.txt", "renamed"],
    ]);
    const keep = file(change, "keep.txt");
    expect(keep.addedLines).toEqual([
      { line: 2, text: "two changed" },
      { line: 4, text: "four" },
    ]);
    expect(keep.patchMissing).toBe(false);
    expect(await keep.readHead()).toBe("one\ntwo changed\nthree\nfour\n");
    expect(await keep.readBase()).toBe("one\ntwo\nthree\n");

    const renamed = file(change, "new/name.txt");
    expect(renamed.previousPath).toBe("old/name.txt");
    expect(renamed.addedLines).toEqual([{ line: 11, text: "row 10" }]);
    expect(await renamed.readBase()).toContain("row 9\n");

    expect(await file(change, "fresh.txt").readBase()).toBeNull();
    expect(await file(change, "gone.txt").readHead()).toBeNull();
    expect(await file(change, "gone.txt").readBase()).toBe("bye\n");
    expect(await change.readAtBase("keep.txt")).toBe("one\ntwo\nthree\n");
    expect(await change.readAtBase("does/not/exist")).toBeNull();
  });

  it("works from a subdirectory and reads paths git quotes (spaces, non-ASCII)", async () => {
    const r = repo();
    const base = r.commitFiles("base", { "sub/readme.md": "x\n" });
    r.commitFiles("head", { "sub/ünï cödé.txt": "héllo\n", "sp ace/a b.txt": "z\n" });
    const change = await open({ cwd: join(r.dir, "sub"), base });
    expect(change.files.map((f) => f.path).sort()).toEqual(["sp ace/a b.txt", "sub/ünï cödé.txt"]);
    expect(await file(change, "sub/ünï cödé.txt").readHead()).toBe("héllo\n");
    expect(await file(change, "sp ace/a b.txt").readHead()).toBe("z\n");
  });

  it("parses a path with a line break and refuses to read it through the line-based batch protocol", async () => {
    const r = repo();
    const base = r.commit("empty");
    r.commitFiles("head", { "line\nbreak.txt": "odd\n", "plain.txt": "plain\n" });
    const change = await open({ cwd: r.dir, base });
    const odd = file(change, "line\nbreak.txt");
    expect(odd.addedLines).toEqual([{ line: 1, text: "odd" }]);
    const error = await rejection(odd.readHead());
    expect((error as ContentError).reason).toBe("unavailable");
    expect(await file(change, "plain.txt").readHead()).toBe("plain\n");
  });

  it("answers many concurrent reads through one cat-file process, each with its own content", async () => {
    const r = repo();
    const base = r.commit("empty");
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`f${i}.txt`] = `file ${i}\n`.repeat(i * 50 + 1);
    r.commitFiles("many", files);
    const change = await open({ cwd: r.dir, base });
    const contents = await Promise.all(change.files.map((f) => f.readHead()));
    change.files.forEach((f, i) => expect(contents[i]).toBe(files[f.path]));
    // Cached per file: the same promise answers again.
    expect(change.files[0]!.readHead()).toBe(change.files[0]!.readHead());
  });

  it("refuses files above the size cap without losing track of later reads", async () => {
    const r = repo();
    const base = r.commit("empty");
    r.commitFiles("head", { "big.txt": "x".repeat(200_000), "small.txt": "small\n" });
    const change = await open({ cwd: r.dir, base, maxFileBytes: 100_000 });
    const [big, small] = await Promise.allSettled([file(change, "big.txt").readHead(), file(change, "small.txt").readHead()]);
    expect(big.status).toBe("rejected");
    const error = (big as PromiseRejectedResult).reason as ContentError;
    expect(error).toBeInstanceOf(ContentError);
    expect(error.reason).toBe("too-large");
    expect(error.message).toContain("big.txt");
    expect(small).toEqual({ status: "fulfilled", value: "small\n" });
  });

  it("marks binary files and refuses to read them as text", async () => {
    const r = repo();
    const base = r.commit("empty");
    r.commitFiles("head", { "image.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]) });
    const change = await open({ cwd: r.dir, base });
    const image = file(change, "image.png");
    expect(image.binary).toBe(true);
    expect(image.addedLines).toEqual([]);
    const error = await rejection(image.readHead());
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).reason).toBe("binary");
  });

  it("decodes bytes that are not UTF-8 as U+FFFD", async () => {
    const r = repo();
    const base = r.commit("empty");
    r.commitFiles("head", { "latin1.txt": Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) });
    const change = await open({ cwd: r.dir, base });
    const latin1 = file(change, "latin1.txt");
    expect(latin1.addedLines).toEqual([{ line: 1, text: "caf\uFFFD" }]);
    expect(await latin1.readHead()).toBe("caf\uFFFD\n");
  });

  it("does not let .gitattributes hide text by calling it binary", async () => {
    const r = repo();
    const base = r.commitFiles("base", { "config.env": "A=1\n" });
    r.commitFiles("head", { ".gitattributes": "*.env -diff\n", "config.env": "A=1\nTOKEN=hidden\n" });
    const change = await open({ cwd: r.dir, base });
    const env = file(change, "config.env");
    expect(env.binary).toBe(false);
    expect(env.patchMissing).toBe(true);
    expect(env.addedLines).toEqual([{ line: 2, text: "TOKEN=hidden" }]);
    expect(env.commentableLines.size).toBe(0);
    expect(change.notes.join("\n")).toContain("config.env");
  });

  it("runs no program named by the repository's config or attributes", async () => {
    const r = repo();
    const marker = join(r.dir, "..", `pr-sentinel-pwned-${process.pid}-${Date.now()}`);
    cleanups.push(() => rmSync(marker, { force: true }));
    const base = r.commitFiles("base", { "a.txt": "a\n" });
    r.commitFiles("head", { ".gitattributes": "*.txt diff=evil\n", "a.txt": "a\nb\n" });
    r.git("config", "diff.external", `sh -c 'touch ${marker}'`);
    r.git("config", "diff.evil.textconv", `sh -c 'touch ${marker}; cat'`);
    r.git("config", "diff.evil.command", `sh -c 'touch ${marker}'`);
    r.git("config", "core.pager", `sh -c 'touch ${marker}; cat'`);
    r.git("config", "core.fsmonitor", `sh -c 'touch ${marker}'`);
    const change = await open({ cwd: r.dir, base });
    expect(file(change, "a.txt").addedLines).toEqual([{ line: 2, text: "b" }]);
    expect(await file(change, "a.txt").readHead()).toBe("a\nb\n");
    const staged = await open({ cwd: r.dir, staged: true });
    expect(staged.files).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });
});

describe("openGitChange's default base", () => {
  it("is the merge-base with main when no remote is set", async () => {
    const r = repo("main");
    const forkPoint = r.commitFiles("base", { "a.txt": "a\n" });
    r.git("checkout", "-q", "-b", "feature");
    r.commitFiles("feature work", { "b.txt": "b\n" });
    r.git("checkout", "-q", "main");
    r.commitFiles("main moves on", { "c.txt": "c\n" });
    r.git("checkout", "-q", "feature");
    const change = await open({ cwd: r.dir });
    expect(change.baseId).toBe(forkPoint);
    expect(change.files.map((f) => f.path)).toEqual(["b.txt"]);
  });

  it("prefers the remote's default branch (origin/HEAD)", async () => {
    const upstream = repo("trunk");
    const forkPoint = upstream.commitFiles("base", { "a.txt": "a\n" });
    const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-clone-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync("git", ["clone", "-q", upstream.dir, dir], { env: GIT_TEST_ENV });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: GIT_TEST_ENV });
    git("checkout", "-q", "-b", "feature");
    execFileSync("sh", ["-c", "echo new > n.txt"], { cwd: dir });
    git("add", "n.txt");
    git("commit", "-q", "-m", "feature");
    const change = await open({ cwd: dir });
    expect(change.baseId).toBe(forkPoint);
    expect(change.baseRef).toContain("origin/HEAD");
    expect(change.files.map((f) => f.path)).toEqual(["n.txt"]);
  });

  it("fails with no-base when neither origin/HEAD, main nor master exists", async () => {
    const r = repo("trunk");
    r.commitFiles("base", { "a.txt": "a\n" });
    const error = await rejection(open({ cwd: r.dir }));
    expect(error).toBeInstanceOf(GitSourceError);
    expect((error as GitSourceError).kind).toBe("no-base");
    expect((error as Error).message).toContain("--base");
  });
});

describe("openGitChange --staged", () => {
  it("scans the index against HEAD and reads staged content, not the working tree", async () => {
    const r = repo();
    r.commitFiles("base", { "a.txt": "a\n" });
    r.write("a.txt", "a\nstaged\n");
    r.write("new.txt", "new staged\n");
    r.git("add", "a.txt", "new.txt");
    r.write("a.txt", "a\nstaged\nunstaged edit\n");
    const change = await open({ cwd: r.dir, staged: true });
    expect(change.headRef).toBe("index");
    expect(change.headId).toBeUndefined();
    expect(file(change, "a.txt").addedLines).toEqual([{ line: 2, text: "staged" }]);
    expect(await file(change, "a.txt").readHead()).toBe("a\nstaged\n");
    expect(await file(change, "a.txt").readBase()).toBe("a\n");
    expect(file(change, "new.txt").status).toBe("added");
  });

  it("works before the first commit (everything staged is added)", async () => {
    const r = repo();
    r.write("first.txt", "first\n");
    r.git("add", "first.txt");
    const change = await open({ cwd: r.dir, staged: true });
    expect(change.files.map((f) => [f.path, f.status])).toEqual([["first.txt", "added"]]);
    expect(await file(change, "first.txt").readHead()).toBe("first\n");
  });
});

describe("openGitChange errors", () => {
  it("refuses a diff larger than its cap instead of buffering it", async () => {
    const r = repo();
    const base = r.commit("empty");
    r.commitFiles("head", { "big.txt": "line of text\n".repeat(10_000) });
    const error = await rejection(open({ cwd: r.dir, base, maxDiffBytes: 50_000 }));
    expect(error).toBeInstanceOf(GitSourceError);
    expect((error as GitSourceError).kind).toBe("too-large");
  });

  it("says when the directory is not a git repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-norepo-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const error = await rejection(open({ cwd: dir, env: { ...GIT_TEST_ENV, GIT_CEILING_DIRECTORIES: tmpdir() } }));
    expect((error as GitSourceError).kind).toBe("not-a-repository");
  });

  it("rejects unknown refs and refs that look like options", async () => {
    const r = repo();
    r.commitFiles("base", { "a.txt": "a\n" });
    for (const ref of ["no-such-branch", "--output=/tmp/x", "-p"]) {
      const error = await rejection(open({ cwd: r.dir, base: ref, head: "HEAD" }));
      expect(error).toBeInstanceOf(GitSourceError);
      expect((error as GitSourceError).kind).toBe("unknown-ref");
    }
  });
});

describe("openGitChange line storage", () => {
  it("hands out packed added lines that agree with addedLines, which stay lazy", async () => {
    const r = repo();
    const base = r.commitFiles("base", { "a.txt": "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n" });
    const head = r.commitFiles("head", { "a.txt": "1\nnew\n2\n3\n4\n5\n6\n7\n8\n9\n10\nend\n", "b.txt": "only\n" });
    const change = await open({ cwd: r.dir, base, head });
    for (const f of change.files) {
      const view = f.addedLineView!;
      expect(view).toBeDefined();
      const fromView = Array.from({ length: view.count }, (_, i) => ({ line: view.lineNumber(i), text: view.lineText(i) }));
      expect(fromView).toEqual(f.addedLines);
    }
    expect(file(change, "a.txt").addedLines).toEqual([
      { line: 2, text: "new" },
      { line: 12, text: "end" },
    ]);
    const descriptor = Object.getOwnPropertyDescriptor(file(change, "b.txt"), "addedLines");
    expect(typeof descriptor?.get).toBe("function");
  });
});

describe("openGitChange with paths.ignore", () => {
  function vendorRepo(): { r: FixtureRepo; base: string; head: string } {
    const r = repo();
    const base = r.commitFiles("base", { "src/app.ts": "one\n", "vendor/old.js": "old\n" });
    r.remove("vendor/old.js");
    const head = r.commitFiles("head", {
      "src/app.ts": "one\ntwo\n",
      "src/app.min.js": "min\n",
      "vendor/lib/a.js": "a\n",
      "vendor/lib/b.js": "b\n",
      "docs/x.md": "x\n",
    });
    return { r, base, head };
  }

  it("leaves ignored files out of the diff and counts them", async () => {
    const { r, base, head } = vendorRepo();
    const change = await open({ cwd: r.dir, base, head, ignore: ["vendor/", "*.min.js"] });
    expect(change.files.map((f) => f.path).sort()).toEqual(["docs/x.md", "src/app.ts"]);
    // vendor/lib/a.js, vendor/lib/b.js, vendor/old.js (removed) and src/app.min.js.
    expect(change.ignoredFiles).toBe(4);
    const all = await open({ cwd: r.dir, base, head });
    expect(all.ignoredFiles).toBe(0);
    expect(all.files).toHaveLength(6);
  });

  it("asks a function for the globs once the range is known, before the diff is read", async () => {
    const { r, base, head } = vendorRepo();
    let seenBase: string | null | undefined;
    const change = await open({
      cwd: r.dir,
      base,
      head,
      ignore: async (source) => {
        expect(source.baseId).toBe(base);
        seenBase = await source.readAtBase("src/app.ts");
        return ["vendor"];
      },
    });
    expect(seenBase).toBe("one\n");
    expect(change.files.map((f) => f.path).sort()).toEqual(["docs/x.md", "src/app.min.js", "src/app.ts"]);
    expect(change.ignoredFiles).toBe(3);
  });

  it("hands globs git cannot express to the engine: the files stay in the change", async () => {
    const { r, base, head } = vendorRepo();
    const change = await open({ cwd: r.dir, base, head, ignore: ["@(docs)/"] });
    expect(change.files.map((f) => f.path)).toContain("docs/x.md");
    expect(change.ignoredFiles).toBe(0);
  });

  it("applies to --staged and --all", async () => {
    const { r, head } = vendorRepo();
    r.write("vendor/lib/c.js", "c\n");
    r.write("src/new.ts", "new\n");
    r.git("add", "-A");
    const staged = await open({ cwd: r.dir, staged: true, ignore: ["vendor/"] });
    expect(staged.files.map((f) => f.path)).toEqual(["src/new.ts"]);
    expect(staged.ignoredFiles).toBe(1);
    const all = await open({ cwd: r.dir, head, all: true, ignore: ["vendor/", "docs"] });
    expect(all.files.map((f) => f.path).sort()).toEqual(["src/app.min.js", "src/app.ts"]);
    expect(all.ignoredFiles).toBe(3);
  });

  it("fails like the diff does when git fails, without leaving the reader open", async () => {
    const { r, base, head } = vendorRepo();
    const error = await rejection(
      open({
        cwd: r.dir,
        base,
        head,
        ignore: async () => {
          throw new GitSourceError("config unreadable", "usage");
        },
      }),
    );
    expect((error as Error).message).toBe("config unreadable");
  });
});

