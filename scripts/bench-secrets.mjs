#!/usr/bin/env node
/**
 * `npm run bench [-- --size 100] [-- --runs 3] [-- --no-secretlint] [-- --secretlint-timeout 900] [-- --dist DIR] [-- --ignored-tree [MB]]`
 *
 * Scans a corpus of real third-party code (node_modules) with synthetic secrets planted into it,
 * through the built CLI (start-up included), and prints throughput, the ratio to `git diff` (reading
 * the change is the floor), findings per MB on the clean code with each false positive listed, peak
 * memory and recall on the planted secrets; the same tree through `scan --all` (every file at the
 * head); then runs secretlint's recommended preset over the same files in the same run and prints
 * its figures and the ratios.
 *
 * `--ignored-tree` adds the `paths.ignore` case: a vendored tree of that many MB (default 100)
 * under an ignored `vendor/` plus 1 MB of code elsewhere, timed against the same change without
 * the vendored tree (what an ignored tree should cost: nothing).
 */
import { performance } from "node:perf_hooks";
import { mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ensureCorpus, plantSecrets } from "./bench/corpus.mjs";
import { ensureIgnoredTree } from "./bench/ignored-tree.mjs";
import { bestOf, measure } from "./bench/measure.mjs";
import { plantedFamilies } from "./bench/planted.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const sizeMB = option("size", 40);
const runs = option("runs", 3);
const withSecretlint = !args.includes("--no-secretlint");
const ignoredTreeIndex = args.indexOf("--ignored-tree");
const ignoredTreeMB = ignoredTreeIndex < 0 ? undefined : Number(args[ignoredTreeIndex + 1]) > 0 ? Number(args[ignoredTreeIndex + 1]) : 100;
/** secretlint needs minutes per 40 MB; past this it is stopped and reported as unfinished. */
const secretlintTimeout = option("secretlint-timeout", 900);
const MB = 1e6;

const GIT_DIFF_FLAGS = ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M", "--unified=3", "--src-prefix=a/", "--dst-prefix=b/"];

const distIndex = args.indexOf("--dist");
const dist = distIndex >= 0 && args[distIndex + 1] ? resolve(args[distIndex + 1]) : join(root, "dist");
const cli = join(dist, "cli/main.js");
const validatorsPath = join(dist, "checks/secrets/validators/index.js");
if (!existsSync(cli) || !existsSync(validatorsPath)) {
  console.error("dist/ is missing the CLI or the secret validators: run `npm run build` (npm run bench does).");
  process.exit(2);
}
const validators = await import(pathToFileURL(validatorsPath).href);

const workDir = join(root, "bench/.work", `size-${sizeMB}`);
mkdirSync(workDir, { recursive: true });
console.log(`Corpus: ${sizeMB} MB of third-party code from node_modules in ${workDir}`);
let t = performance.now();
const corpus = ensureCorpus({ workDir, nodeModules: join(root, "node_modules"), targetBytes: sizeMB * MB });
const planted = plantedFamilies(validators);
const head = plantSecrets(corpus.repo, corpus.clean, planted);
const plantedBytes = planted.reduce((n, p) => n + p.lines.join("\n").length + 1, 0);
const addedBytes = corpus.bytes + plantedBytes;
console.log(
  `  ${corpus.files} files, ${(corpus.bytes / MB).toFixed(1)} MB clean + ${planted.length} planted files; prepared in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

// 1. The floor: git producing the same change.
const gitDiff = await bestOf(runs, "git", [...GIT_DIFF_FLAGS, corpus.base, head, "--"], { cwd: corpus.repo, keepStdout: false });

// 2. pr-sentinel through its CLI, start-up included.
// Run it as its bin does (`npx pr-sentinel`): with the node flags its shebang line gives.
const shebang = readFileSync(cli, "utf8").split("\n", 1)[0];
const nodeFlags = (/^#!\/usr\/bin\/env\s+(?:-S\s+)?node\s*(.*)$/.exec(shebang)?.[1] ?? "").split(/\s+/).filter(Boolean);
const scanArgs = [...nodeFlags, cli, "scan", "--base", corpus.base, "--head", head, "--format", "json", "--offline"];
const ours = await bestOf(runs, process.execPath, scanArgs, { cwd: corpus.repo });
if (ours.code !== 0 && ours.code !== 1) {
  console.error(`pr-sentinel scan exited ${ours.code}:\n${ours.stderr.slice(0, 2000)}`);
  process.exit(1);
}
const report = JSON.parse(ours.stdout);
const secretsOutcome = report.outcomes.find((o) => o.checkId === "secrets");
const ourFindings = secretFindings(report);

function secretFindings(json) {
  return json.findings
    .filter((f) => f.checkId === "secrets")
    .map((f) => ({
      path: f.path,
      start: f.startLine,
      end: f.endLine,
      rule: f.ruleId,
      evidence: (f.evidence ?? "").replace(/\n/g, "\\n"),
      test: f.properties?.test_file === true || f.properties?.api_example === true,
    }));
}

// 2b. `scan --all` over the same tree: every file at the head as if added (the first audit of a repository).
const allArgs = [...nodeFlags, cli, "scan", "--all", "--head", head, "--format", "json", "--offline"];
const all = await bestOf(runs, process.execPath, allArgs, { cwd: corpus.repo });
if (all.code !== 0 && all.code !== 1) {
  console.error(`pr-sentinel scan --all exited ${all.code}:\n${all.stderr.slice(0, 2000)}`);
  process.exit(1);
}
const allFindings = secretFindings(JSON.parse(all.stdout));

// 2c. paths.ignore: an ignored vendored tree beside 1 MB of own code, against the 1 MB alone.
let ignoredTree;
if (ignoredTreeMB !== undefined) {
  const vendored = ensureCorpus({ workDir: join(root, "bench/.work", `size-${ignoredTreeMB}`), nodeModules: join(root, "node_modules"), targetBytes: ignoredTreeMB * MB });
  const tree = ensureIgnoredTree({ workDir: join(root, "bench/.work", `ignored-${ignoredTreeMB}`), corpus: vendored });
  const scanOf = (treeHead) => [...nodeFlags, cli, "scan", "--base", tree.base, "--head", treeHead, "--format", "json", "--offline"];
  const withVendor = await bestOf(runs, process.execPath, scanOf(tree.head), { cwd: tree.repo });
  const ownOnly = await bestOf(runs, process.execPath, scanOf(tree.ownOnly), { cwd: tree.repo });
  const diffAll = await bestOf(runs, "git", [...GIT_DIFF_FLAGS, tree.base, tree.head, "--"], { cwd: tree.repo, keepStdout: false });
  const parsed = withVendor.code === 0 || withVendor.code === 1 ? JSON.parse(withVendor.stdout) : undefined;
  ignoredTree = { tree, withVendor, ownOnly, diffAll, ignoredPaths: parsed?.suppressed?.ignoredPaths, files: parsed?.stats?.files };
}

// 3. secretlint's recommended preset over the same files.
let lint;
if (withSecretlint) {
  const rc = join(workDir, "secretlintrc.json");
  writeFileSync(rc, JSON.stringify({ rules: [{ id: "@secretlint/secretlint-rule-preset-recommend" }] }));
  const out = join(workDir, "secretlint.json");
  const bin = join(root, "node_modules/.bin/secretlint");
  rmSync(out, { force: true });
  const run = await measure(bin, ["**/*", "**/.docker/**", "--format", "json", "--secretlintrc", rc, "--no-color", "--output", out], {
    cwd: corpus.repo,
    keepStdout: false,
    timeoutSeconds: secretlintTimeout,
  });
  const results = !run.timedOut && existsSync(out) ? JSON.parse(readFileSync(out, "utf8") || "[]") : [];
  const findings = results.flatMap((r) =>
    (r.messages ?? []).map((m) => ({
      path: relativePath(r.filePath),
      start: m.loc?.start?.line ?? m.line ?? 0,
      end: m.loc?.end?.line ?? m.loc?.start?.line ?? 0,
      rule: m.ruleId,
      evidence: "(masked)",
    })),
  );
  lint = { ...run, findings };
}

function relativePath(path) {
  const prefix = `${corpus.repo}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

// 4. Figures.
const covers = (findings, item) =>
  findings.some((f) => f.path === item.path && item.secretLines.some((l) => f.start <= l && l <= Math.max(f.end, f.start)));
const clean = (findings) => findings.filter((f) => !f.path.startsWith("planted/"));
const recall = (findings, items) => items.filter((i) => covers(findings, i)).length;
const mbps = (seconds) => addedBytes / MB / seconds;
const cleanMB = corpus.bytes / MB;

const rows = [];
const row = (label, value) => rows.push([label, value]);
row("change size (added text)", `${(addedBytes / MB).toFixed(1)} MB in ${corpus.files + planted.length} files`);
row("git diff (floor)", `${gitDiff.seconds.toFixed(2)} s, ${(gitDiff.stdoutBytes / MB).toFixed(1)} MB of diff, ${mbps(gitDiff.seconds).toFixed(0)} MB/s`);
row("pr-sentinel scan (CLI)", `${ours.seconds.toFixed(2)} s, ${mbps(ours.seconds).toFixed(1)} MB/s (best of ${runs}, start-up included)`);
row("  run as its bin runs", `node ${[...nodeFlags, "dist/cli/main.js"].join(" ")} scan ...`);
row("  of which secrets check", `${secretsOutcome ? (secretsOutcome.durationMs / 1000).toFixed(2) : "?"} s (${secretsOutcome?.status ?? "missing"})`);
row("  ratio to git diff", `${(ours.seconds / gitDiff.seconds).toFixed(2)}x (target <= 2x)`);
row("  peak memory (RSS)", ours.peakMiB === undefined ? "n/a" : `${ours.peakMiB.toFixed(0)} MiB`);
const ourClean = clean(ourFindings);
const ourCleanOutsideTests = ourClean.filter((f) => !f.test);
row(
  "  findings on clean code",
  `${ourClean.length} (${(ourClean.length / cleanMB).toFixed(3)} per MB; target <= 0.05), ` +
    `${ourCleanOutsideTests.length} outside test paths and API examples (${(ourCleanOutsideTests.length / cleanMB).toFixed(3)} per MB)`,
);
row("  recall on planted", `${recall(ourFindings, planted)}/${planted.length}`);
row("pr-sentinel scan --all (CLI)", `${all.seconds.toFixed(2)} s, ${mbps(all.seconds).toFixed(1)} MB/s (best of ${runs}, the same tree at the head; target >= 30 MB/s)`);
row("  ratio to git diff", `${(all.seconds / gitDiff.seconds).toFixed(2)}x`);
row("  peak memory (RSS)", all.peakMiB === undefined ? "n/a" : `${all.peakMiB.toFixed(0)} MiB`);
row("  findings on clean code", `${clean(allFindings).length}, ${clean(allFindings).filter((f) => !f.test).length} outside test paths and API examples`);
row("  recall on planted", `${recall(allFindings, planted)}/${planted.length}`);
if (ignoredTree) {
  const { tree, withVendor, ownOnly, diffAll } = ignoredTree;
  row(
    "paths.ignore: vendored tree ignored",
    `${(tree.vendoredBytes / MB).toFixed(0)} MB in ${tree.vendoredFiles} files under vendor/ (ignored) + ${(tree.ownBytes / MB).toFixed(1)} MB in ${tree.ownFiles} files elsewhere`,
  );
  row("  scan with the ignored tree", `${withVendor.seconds.toFixed(2)} s (exit ${withVendor.code}), ${ignoredTree.files ?? "?"} files scanned, ${ignoredTree.ignoredPaths ?? "?"} counted as ignored`);
  row("  scan of the 1 MB alone", `${ownOnly.seconds.toFixed(2)} s (the floor: the ignored tree should cost nothing)`);
  row("  git diff of everything", `${diffAll.seconds.toFixed(2)} s (what reading the ignored tree would cost at least)`);
  row("  peak memory (RSS)", withVendor.peakMiB === undefined ? "n/a" : `${withVendor.peakMiB.toFixed(0)} MiB with the ignored tree, ${ownOnly.peakMiB?.toFixed(0) ?? "n/a"} MiB without`);
}
if (lint?.timedOut) {
  row("secretlint 12 recommended", `did not finish within ${secretlintTimeout} s (${mbps(secretlintTimeout).toFixed(2)} MB/s at most); stopped`);
  row("pr-sentinel speed-up vs secretlint", `more than ${(secretlintTimeout / ours.seconds).toFixed(0)}x`);
  lint = undefined;
}
if (lint) {
  const lintItems = planted.filter((p) => p.secretlint);
  row("secretlint 12 recommended", `${lint.seconds.toFixed(2)} s, ${mbps(lint.seconds).toFixed(1)} MB/s, exit ${lint.code}`);
  row("  peak memory (RSS)", lint.peakMiB === undefined ? "n/a" : `${lint.peakMiB.toFixed(0)} MiB`);
  row("  findings on clean code", `${clean(lint.findings).length} (${(clean(lint.findings).length / cleanMB).toFixed(3)} per MB)`);
  row("  recall on planted", `${recall(lint.findings, planted)}/${planted.length} (on the ${lintItems.length} it covers: ${recall(lint.findings, lintItems)})`);
  row("pr-sentinel speed-up vs secretlint", `${(lint.seconds / ours.seconds).toFixed(1)}x`);
  row("pr-sentinel recall on secretlint's providers", `${recall(ourFindings, lintItems)}/${lintItems.length} vs secretlint ${recall(lint.findings, lintItems)}/${lintItems.length}`);
}
console.log("");
const width = Math.max(...rows.map(([l]) => l.length));
for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);

console.log("\nPlanted secrets (one per provider family):");
console.log(`  ${"family".padEnd(26)} ${"provider".padEnd(16)} pr-sentinel  secretlint`);
for (const item of planted) {
  const mine = covers(ourFindings, item) ? "found" : "MISSED";
  const theirs = !lint ? "-" : covers(lint.findings, item) ? "found" : item.secretlint ? "MISSED" : "(not covered)";
  console.log(`  ${item.family.padEnd(26)} ${item.provider.padEnd(16)} ${mine.padEnd(12)} ${theirs}`);
}

const printFalsePositives = (name, findings) => {
  const list = clean(findings);
  console.log(`\n${name} findings on the clean code (false positives, or real-looking test data in the packages): ${list.length}`);
  for (const f of list.slice(0, 40)) console.log(`  ${f.path}:${f.start}  ${f.rule}  ${f.evidence ?? ""}${f.test ? "  [test path or API example: low]" : ""}`);
  if (list.length > 40) console.log(`  ... ${list.length - 40} more`);
};
printFalsePositives("pr-sentinel", ourFindings);
if (lint) printFalsePositives("secretlint", lint.findings);
if (secretsOutcome?.warnings?.length) console.log(`\npr-sentinel warnings:\n  ${secretsOutcome.warnings.join("\n  ")}`);
