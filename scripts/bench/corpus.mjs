/**
 * The bench corpus: real third-party source code copied from node_modules into a git repository
 * with an empty base commit and a head commit adding everything, so the change is the whole corpus.
 * Files are picked in a fixed order (big, well-known packages first) until the target size is
 * reached, so two runs of the same size scan the same code.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const PREFERRED = [
  "typescript",
  "@typescript-eslint",
  "zod",
  "probot",
  "eslint",
  "lodash",
  "vite",
  "vitest",
  "ajv",
  "undici",
  "markdown-it",
  "@opentelemetry",
  "tar",
  "lru-cache",
  "@types",
  "octokit-auth-probot",
  "@eslint",
  "pino",
  "yaml",
];
/**
 * Taken only when everything else is not enough (the 100 MB variant): re2's vendored C++ sources
 * and Octokit's API descriptions and webhook examples (JSON and type declarations, real but
 * data-heavy). Copies of them nested inside other packages are never taken.
 */
const LAST = ["re2", "@octokit"];
/** Generated or binary-only trees, and nested copies of the LAST trees. */
const SKIP_DIRS = new Set([".bin", ".cache", ".vite", "@esbuild", "@rolldown", "lightningcss-linux-x64-gnu", ...LAST]);
const EXTENSIONS = /\.(?:js|mjs|cjs|ts|mts|cts|tsx|jsx|json|md|markdown|yml|yaml|txt|html|css|sh|py|c|cc|h)$/;
const MAX_FILE_BYTES = 12 * 1024 * 1024;
/** Bump when the selection changes, so a cached corpus is rebuilt. */
const CORPUS_VERSION = 3;

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* walk(path);
    } else if (entry.isFile() && EXTENSIONS.test(entry.name) && !entry.name.endsWith(".map")) {
      yield path;
    }
  }
}

function* candidateFiles(nodeModules) {
  const seen = new Set();
  const others = readdirSync(nodeModules)
    .sort()
    .filter((p) => !LAST.includes(p));
  const roots = [...PREFERRED, ...others, ...LAST].map((p) => join(nodeModules, p));
  for (const root of roots) {
    const name = relative(nodeModules, root);
    if (seen.has(name) || (SKIP_DIRS.has(name) && !LAST.includes(name)) || !existsSync(root)) continue;
    seen.add(name);
    yield* walk(root);
  }
}

function git(cwd, args, input) {
  return execFileSync("git", args, { cwd, input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).trim();
}

/** Builds (or reuses) the clean corpus repository; returns its path, base commit and clean commit. */
export function ensureCorpus({ workDir, nodeModules, targetBytes }) {
  const repo = join(workDir, "repo");
  const manifestPath = join(workDir, "manifest.json");
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    if (manifest.targetBytes === targetBytes && manifest.version === CORPUS_VERSION) return { repo, ...manifest };
  }
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  git(repo, ["init", "-q", "-b", "main"]);
  git(repo, ["config", "user.email", "bench@pr-sentinel.invalid"]);
  git(repo, ["config", "user.name", "bench"]);
  git(repo, ["config", "commit.gpgsign", "false"]);
  git(repo, ["commit", "-q", "--allow-empty", "-m", "base: empty"]);
  const base = git(repo, ["rev-parse", "HEAD"]);

  let bytes = 0;
  let files = 0;
  for (const source of candidateFiles(nodeModules)) {
    if (bytes >= targetBytes) break;
    const size = statSync(source).size;
    if (size === 0 || size > MAX_FILE_BYTES) continue;
    const content = readFileSync(source);
    if (content.subarray(0, 8000).includes(0)) continue;
    const target = join(repo, "vendor", relative(nodeModules, source));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    bytes += size;
    files++;
  }
  git(repo, ["add", "-A", "vendor"]);
  git(repo, ["commit", "-q", "-m", "head: third-party code"]);
  const clean = git(repo, ["rev-parse", "HEAD"]);
  const manifest = { version: CORPUS_VERSION, targetBytes, base, clean, bytes, files };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return { repo, ...manifest };
}

/** Writes the planted files on top of the clean commit and commits them; returns the head commit. */
export function plantSecrets(repo, clean, planted) {
  git(repo, ["checkout", "-q", "--detach", clean]);
  for (const item of planted) {
    const target = join(repo, item.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `${item.lines.join("\n")}\n`);
  }
  git(repo, ["add", "-A", "-f", "planted"]);
  git(repo, ["commit", "-q", "-m", "head: planted synthetic secrets"]);
  return git(repo, ["rev-parse", "HEAD"]);
}
