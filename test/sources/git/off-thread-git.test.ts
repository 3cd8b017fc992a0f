/**
 * git's stdout drained by a worker thread: the same bytes in the same order as reading it here,
 * the same failures (too large, a consumer that throws, git's own exit code), and no deadlock when
 * the consumer is slower than git and the worker has to stop and start again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OffThreadGitReader } from "../../../src/sources/git/off-thread-git.js";
import { runGit } from "../../../src/sources/git/run-git.js";
import { createFixtureRepo, GIT_TEST_ENV, type FixtureRepo } from "../../helpers/git-repo.js";

let repo: FixtureRepo;
let base: string;
let head: string;
beforeAll(() => {
  repo = createFixtureRepo();
  base = repo.commitFiles("start", { "README.md": "# project\n" });
  const big = Array.from({ length: 40_000 }, (_, i) => `line ${i} ${"é".repeat(i % 7)} ${"x".repeat(40)}`).join("\n");
  head = repo.commitFiles("big", { "big.txt": `${big}\n`, "small.txt": "small\n" });
});
afterAll(() => repo.cleanup());

const git = () => ({ cwd: repo.dir, env: GIT_TEST_ENV });
const DIFF = () => ["diff", "--no-color", "--no-ext-diff", base, head];

async function readOffThread(options: { maxBytes?: number; maxAheadBytes?: number; slow?: boolean } = {}) {
  const chunks: Buffer[] = [];
  const result = await new OffThreadGitReader().stream(DIFF(), {
    ...git(),
    ...options,
    onStdout: (chunk) => {
      // A copy: the consumer may keep what it was given (the parser slices it).
      chunks.push(Buffer.from(chunk));
      if (options.slow) {
        const until = Date.now() + 2;
        while (Date.now() < until);
      }
    },
  });
  return { result, bytes: Buffer.concat(chunks) };
}

describe("OffThreadGitReader", () => {
  it("hands over exactly the bytes git printed, in order", async () => {
    const plain = await runGit(DIFF(), git());
    expect(plain.stderr).toBe("");
    const expected = plain.stdout;
    expect(expected.length).toBeGreaterThan(2_000_000);
    const { result, bytes } = await readOffThread();
    expect(result.code).toBe(0);
    expect(bytes.equals(expected)).toBe(true);
  });

  it("stops reading ahead of a slow consumer and resumes, without losing or repeating a byte", async () => {
    const expected = (await runGit(DIFF(), git())).stdout;
    const { bytes } = await readOffThread({ maxAheadBytes: 64 * 1024, slow: true });
    expect(bytes.equals(expected)).toBe(true);
  });

  it("fails as too large past maxBytes, and with what the consumer threw", async () => {
    await expect(readOffThread({ maxBytes: 100_000 })).rejects.toMatchObject({ kind: "too-large" });
    await expect(
      new OffThreadGitReader().stream(DIFF(), {
        ...git(),
        onStdout: () => {
          throw new Error("parser gave up");
        },
      }),
    ).rejects.toThrow("parser gave up");
  });

  it("resolves with git's exit code and complaint when git fails", async () => {
    const result = await new OffThreadGitReader().stream(["diff", "no-such-ref", head], { ...git(), onStdout: () => {} });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no-such-ref/);
  });

  it("a reader started ahead serves its first read, starts a fresh thread for a second, and can be closed unused", async () => {
    const expected = (await runGit(DIFF(), git())).stdout;
    const reader = new OffThreadGitReader();
    for (let round = 0; round < 2; round++) {
      const chunks: Buffer[] = [];
      const result = await reader.stream(DIFF(), { ...git(), onStdout: (chunk) => chunks.push(Buffer.from(chunk)) });
      expect(result.code).toBe(0);
      expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    }
    reader.close();
    new OffThreadGitReader().close();
  });
});
