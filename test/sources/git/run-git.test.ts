import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { GitSourceError, runGit, streamGit } from "../../../src/sources/git/run-git.js";

const cwd = tmpdir();

describe("streamGit", () => {
  it("hands stdout over as it arrives and resolves with the exit code", async () => {
    const chunks: Buffer[] = [];
    const result = await streamGit(["version"], { cwd, onStdout: (chunk) => chunks.push(chunk) });
    expect(result.code).toBe(0);
    expect(Buffer.concat(chunks).toString("utf8")).toMatch(/^git version \d/);
  });

  it("stops git and fails with too-large once stdout passes the cap", async () => {
    const chunks: Buffer[] = [];
    const error = await streamGit(["version"], { cwd, maxBytes: 5, onStdout: (chunk) => chunks.push(chunk) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitSourceError);
    expect((error as GitSourceError).kind).toBe("too-large");
    expect(chunks).toEqual([]);
  });

  it("rejects with the consumer's error when handling stdout throws", async () => {
    const failure = new Error("parser gave up");
    await expect(
      streamGit(["version"], {
        cwd,
        onStdout: () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
  });
});

describe("runGit", () => {
  it("collects stdout and stderr and never rejects on a failing exit code", async () => {
    const ok = await runGit(["version"], { cwd });
    expect(ok.stdout.toString("utf8")).toMatch(/^git version/);
    const failed = await runGit(["no-such-command-here"], { cwd });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain("no-such-command-here");
  });
});
