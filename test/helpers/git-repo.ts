/**
 * Builds throwaway git repositories with real commits in the OS temp dir, for tests of the git
 * source and the CLI. Git runs with a fixed identity and without the user's global or system config,
 * so tests behave the same on a developer's machine and on CI.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const GIT_TEST_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.test",
  GIT_COMMITTER_NAME: "Test Author",
  GIT_COMMITTER_EMAIL: "author@example.test",
  GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z",
};

export interface FixtureRepo {
  readonly dir: string;
  /** Runs git in the repository and returns its trimmed stdout. */
  git(...args: string[]): string;
  write(path: string, content: string | Buffer): void;
  remove(path: string): void;
  /** Stages everything and commits; returns the new commit id. */
  commit(message: string): string;
  /** Writes the files, stages and commits them in one go. */
  commitFiles(message: string, files: Readonly<Record<string, string | Buffer>>): string;
  cleanup(): void;
}

export function createFixtureRepo(options: { branch?: string } = {}): FixtureRepo {
  const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-repo-"));
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: dir, env: GIT_TEST_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  git("init", "-q", "-b", options.branch ?? "main");
  const repo: FixtureRepo = {
    dir,
    git,
    write(path, content) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    remove(path) {
      unlinkSync(join(dir, path));
    },
    commit(message) {
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", message);
      return git("rev-parse", "HEAD");
    },
    commitFiles(message, files) {
      for (const [path, content] of Object.entries(files)) repo.write(path, content);
      return repo.commit(message);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return repo;
}
