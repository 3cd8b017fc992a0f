/**
 * `npm run bench:history [-- --dist DIR] [-- --runs 3] [-- --commits 2000] [-- --repo PATH]`
 *
 * Times `pr-sentinel scan --history` (the built CLI, start-up included) against `git log -p` with
 * the same flags over the same commits, the floor: every added line of every commit has to be read.
 * Two histories: this repository's own (or `--repo`), and a generated one of 2,000 commits in a temp
 * dir, made with `git fast-import` from real third-party code in node_modules (each commit edits a
 * few files), with credentials planted and deleted again in some commits: all of them must be found,
 * each with the commit that added it. Target (issue 13): at most 3× `git log -p`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SAFE_CONFIG } from "../src/sources/git/run-git.js";
import { LOG_FLAGS } from "../src/sources/git/git-log-commits.js";
import { bestOf } from "./bench/measure.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(option("runs") ?? 3);
const commits = Number(option("commits") ?? 2000);
const ownRepo = resolve(option("repo") ?? root);
const dist = resolve(option("dist") ?? join(root, "dist"));
const cli = join(dist, "cli/main.js");
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run npm run build (or pass --dist DIR)`);
  process.exit(2);
}

const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.test",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.test",
};

interface Planted {
  readonly line: string;
  readonly path: string;
  commit?: string;
}

/** Text files from node_modules, as the pool commits draw their edits from. */
function sourcePool(limitBytes: number): string[] {
  const texts: string[] = [];
  let bytes = 0;
  const stack = [join(root, "node_modules")];
  while (stack.length > 0 && bytes < limitBytes) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (name.startsWith(".")) continue;
      const info = statSync(path, { throwIfNoEntry: false });
      if (!info) continue;
      if (info.isDirectory()) stack.push(path);
      else if (/\.(js|ts|json|md)$/.test(name) && info.size > 2000 && info.size < 200_000 && !/\.min\./.test(name)) {
        texts.push(readFileSync(path, "utf8"));
        bytes += info.size;
        if (bytes >= limitBytes) break;
      }
    }
  }
  return texts;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function fakeAwsKey(): string {
  let body = "";
  for (let i = 0; i < 16; i++) body += BASE32[randomInt(32)];
  return `AKIA${body}`;
}

/**
 * A history of `count` commits through one `git fast-import` stream: 40 files, each commit rewrites
 * one to three of them with a slice of real code (so its diff has added and removed lines), and
 * every 200th commit plants a credential that the next commit deletes again.
 */
function generateHistory(dir: string, count: number): { planted: Planted[]; bytes: number } {
  const pool = sourcePool(8e6);
  const files = Array.from({ length: 40 }, (_, i) => `src/module${i % 8}/file${i}.js`);
  const current = files.map((_, i) => pool[i % pool.length]!.slice(0, 6000));
  const planted: Planted[] = [];
  const parts: string[] = [];
  let mark = 0;
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let c = 0; c < count; c++) {
    const when = 1_500_000_000 + c * 3600;
    parts.push(`commit refs/heads/main\nmark :${++mark}\nauthor Bench <bench@example.test> ${when} +0000\ncommitter Bench <bench@example.test> ${when} +0000\n${data(`commit ${c}`)}`);
    if (c > 0) parts.push(`from :${mark - 1}\n`);
    const edits = c === 0 ? files.length : 1 + (c % 3);
    for (let e = 0; e < edits; e++) {
      const index = c === 0 ? e : (c * 7 + e * 13) % files.length;
      const source = pool[(c * 5 + e) % pool.length]!;
      const at = (c * 997) % Math.max(1, source.length - 3000);
      const lines = current[index]!.split("\n");
      const cut = (c * 31) % Math.max(1, lines.length - 40);
      // Replace a stretch of lines with new code: the diff removes some and adds about 60.
      lines.splice(cut, 20, ...source.slice(at, at + 3000).split("\n"));
      current[index] = lines.slice(0, 400).join("\n");
      parts.push(`M 100644 inline ${files[index]}\n${data(current[index]!)}`);
    }
    if (c % 200 === 100) {
      const p: Planted = { line: `AWS_ACCESS_KEY_ID=${fakeAwsKey()}`, path: `deploy/keys-${c}.env` };
      planted.push(p);
      parts.push(`M 100644 inline ${p.path}\n${data(`${p.line}\n`)}`);
    }
    if (c % 200 === 101) parts.push(`D deploy/keys-${c - 1}.env\n`);
    parts.push("\n");
  }
  const stream = parts.join("");
  execFileSync("git", ["init", "-q", "-b", "main", dir], { env: { ...process.env, ...GIT_ENV } });
  execFileSync("git", ["fast-import", "--quiet"], { cwd: dir, input: stream, env: { ...process.env, ...GIT_ENV }, maxBuffer: 1 << 30 });
  execFileSync("git", ["reset", "-q", "--hard", "main"], { cwd: dir, env: { ...process.env, ...GIT_ENV } });
  return { planted, bytes: stream.length };
}

interface Finding {
  readonly path: string;
  readonly ruleId: string;
  readonly properties: Record<string, unknown>;
}

/**
 * CPU seconds (user + system, the command and the children it waited for: git's share of a scan
 * included), fewest of `runs`. On a shared machine wall time swings with the load; CPU time much less.
 */
function cpuSeconds(command: string, argv: readonly string[], cwd: string): number | undefined {
  if (!existsSync("/usr/bin/time")) return undefined;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const out = join(tmpdir(), `pr-sentinel-history-cpu-${process.pid}`);
    spawnSync("/usr/bin/time", ["-f", "%U %S", "-o", out, command, ...argv], { cwd, env: { ...process.env, ...GIT_ENV }, stdio: "ignore" });
    const [user, sys] = readFileSync(out, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
    rmSync(out, { force: true });
    best = Math.min(best, user! + sys!);
  }
  return best;
}

async function measureHistory(label: string, dir: string): Promise<{ findings: Finding[]; ratio: number; cpuRatio?: number }> {
  const logArgs = [...SAFE_CONFIG, "--no-pager", ...LOG_FLAGS, "HEAD", "--"];
  const scanArgs = [cli, "scan", "--history", "--offline", "-f", "json", "--fail-on", "never"];
  const git = await bestOf(runs, "git", logArgs, { cwd: dir, env: GIT_ENV, keepStdout: false });
  const scan = await bestOf(runs, process.execPath, scanArgs, { cwd: dir, env: GIT_ENV });
  if (scan.code !== 0) throw new Error(`${label}: scan --history exited ${scan.code}: ${scan.stderr.slice(0, 500)}`);
  const report = JSON.parse(scan.stdout) as { findings: Finding[]; stats: { files: number; addedLines: number }; notes: string[] };
  const count = Number(execFileSync("git", ["rev-list", "--count", "--no-merges", "HEAD"], { cwd: dir, encoding: "utf8" }).trim());
  const ratio = scan.seconds / git.seconds;
  const mb = git.stdoutBytes / 1e6;
  console.log(`${label}: ${count} commits, git log -p ${mb.toFixed(1)} MB`);
  console.log(`  git log -p         ${git.seconds.toFixed(2)} s`);
  console.log(
    `  scan --history     ${scan.seconds.toFixed(2)} s (${(mb / scan.seconds).toFixed(1)} MB/s, ${report.stats.files} files, ${report.stats.addedLines} added lines, peak ${scan.peakMiB ?? "?"} MiB): ${ratio.toFixed(2)}× git log -p`,
  );
  const gitCpu = cpuSeconds("git", logArgs, dir);
  const scanCpu = cpuSeconds(process.execPath, scanArgs, dir);
  const cpuRatio = gitCpu !== undefined && scanCpu !== undefined ? scanCpu / gitCpu : undefined;
  if (cpuRatio !== undefined) console.log(`  CPU (user+sys)     git log -p ${gitCpu!.toFixed(2)} s, scan --history ${scanCpu!.toFixed(2)} s (git included): ${cpuRatio.toFixed(2)}×`);
  console.log(`  findings           ${report.findings.length}`);
  return { findings: report.findings, ratio, cpuRatio };
}

const own = await measureHistory(`This repository (${ownRepo})`, ownRepo);

/** `--keep DIR`: generate into DIR (or reuse it when it holds a history already) and leave it there. */
const keep = option("keep");
const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), "pr-sentinel-history-"));
try {
  const started = performance.now();
  if (keep) rmSync(dir, { recursive: true, force: true });
  const { planted, bytes } = generateHistory(dir, commits);
  console.log(`Generated ${commits} commits (${(bytes / 1e6).toFixed(1)} MB fast-import stream) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const generated = await measureHistory(`Generated history (${commits} commits)`, dir);
  const shas = spawnSync("git", ["log", "--reverse", "--format=%H", "main"], { cwd: dir, encoding: "utf8" }).stdout.trim().split("\n");
  for (const p of planted) p.commit = shas[Number(/keys-(\d+)/.exec(p.path)![1])];
  const found = planted.filter((p) => generated.findings.some((f) => f.path === p.path && f.ruleId === "secrets/aws-access-key-id" && f.properties.commit === p.commit));
  const other = generated.findings.filter((f) => !planted.some((p) => p.path === f.path));
  console.log(`  planted and deleted again: ${found.length} of ${planted.length} found with the commit that added them; ${other.length} other findings`);
  const cpu = (r: { cpuRatio?: number }) => (r.cpuRatio !== undefined ? ` (CPU ${r.cpuRatio.toFixed(2)}×)` : "");
  console.log(`Ratios to git log -p (target ≤ 3×): this repository ${own.ratio.toFixed(2)}×${cpu(own)}, generated ${generated.ratio.toFixed(2)}×${cpu(generated)}`);
  if (found.length !== planted.length) process.exitCode = 1;
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
