/**
 * The `paths.ignore` bench case: a base commit whose config ignores `vendor/`, and a head that adds
 * a large vendored tree under it plus about 1 MB of the project's own code elsewhere. An ignored
 * tree should cost (nearly) nothing: git is told to leave it out, so it is neither diffed nor read.
 *
 * The vendored tree is the clean commit of the bench corpus of that size (scripts/bench/corpus.mjs),
 * fetched and grafted with plumbing commands, so no 100 MB checkout is written twice.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const VERSION = 1;
export const IGNORE_CONFIG = "paths:\n  ignore:\n    - vendor/\n";

function git(cwd, args, input) {
  return execFileSync("git", args, { cwd, input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).trim();
}

/**
 * `corpus` is an ensureCorpus() result whose clean commit holds everything under `vendor/`.
 * Returns { repo, base, head, ownOnly (the same head without vendor/), ownBytes, ownFiles, vendoredBytes, vendoredFiles }.
 */
export function ensureIgnoredTree({ workDir, corpus, ownBytes = 1e6 }) {
  const repo = join(workDir, "repo");
  const manifestPath = join(workDir, "manifest.json");
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    if (manifest.version === VERSION && manifest.clean === corpus.clean && manifest.ownTarget === ownBytes) return { repo, ...manifest };
  }
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(repo, ".github"), { recursive: true });
  git(repo, ["init", "-q", "-b", "main"]);
  git(repo, ["config", "user.email", "bench@pr-sentinel.invalid"]);
  git(repo, ["config", "user.name", "bench"]);
  git(repo, ["config", "commit.gpgsign", "false"]);
  writeFileSync(join(repo, ".github/pr-sentinel.yml"), IGNORE_CONFIG);
  git(repo, ["add", ".github/pr-sentinel.yml"]);
  git(repo, ["commit", "-q", "-m", "base: config ignoring vendor/"]);
  const base = git(repo, ["rev-parse", "HEAD"]);

  git(repo, ["fetch", "-q", "--no-tags", corpus.repo, corpus.clean]);
  // The project's own code: the corpus's first files up to `ownBytes`, copied to src/.
  const listing = git(repo, ["ls-tree", "-r", "-l", "-z", `${corpus.clean}:vendor`]).split("\0").filter(Boolean);
  let own = 0;
  let ownFiles = 0;
  const index = [];
  for (const entry of listing) {
    if (own >= ownBytes) break;
    const [meta, path] = entry.split("\t");
    const [mode, , oid, size] = meta.split(/\s+/);
    own += Number(size);
    ownFiles++;
    index.push(`${mode} ${oid}\tsrc/${path}`);
  }
  git(repo, ["read-tree", base]);
  git(repo, ["update-index", "--index-info"], `${index.join("\n")}\n`);
  const ownOnly = git(repo, ["commit-tree", git(repo, ["write-tree"]), "-p", base, "-m", "head: own code only"]);
  git(repo, ["read-tree", "--prefix=vendor/", `${corpus.clean}:vendor`]);
  const tree = git(repo, ["write-tree"]);
  const head = git(repo, ["commit-tree", tree, "-p", base, "-m", "head: vendored tree and own code"]);
  git(repo, ["update-ref", "refs/heads/main", head]);
  git(repo, ["reset", "-q", "--soft", head]);
  const manifest = { version: VERSION, clean: corpus.clean, ownTarget: ownBytes, base, head, ownOnly, ownBytes: own, ownFiles, vendoredBytes: corpus.bytes, vendoredFiles: corpus.files };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return { repo, ...manifest };
}
