/**
 * `npm run bench:deps [-- --runs 3] [-- --packages 20000] [-- --no-app] [-- --no-v3]`: the dependencies
 * check against the issue's targets, with lockfile-lint 5 as the peer in the same run.
 *
 * 1. A pull request whose package-lock.json adds 300 packages, through the engine, against loopback
 *    fakes of OSV and the npm registry (the registry answers after 35 ms, so concurrency shows):
 *    one OSV querybatch, details only for hits, at most one registry request per added package with
 *    bounded concurrency, the check in under 2 s.
 * 2. A 40 MB package-lock.json (20,000 packages, lockfileVersion 2 as npm 7/8 write it) at base and
 *    head with one version bump: (a) parse and delta in-process (< 1.5 s), (b) the built CLI end to
 *    end (peak RSS < 400 MB), offline and against the fakes, (c) the GitHub App against the fake
 *    GitHub scanning the same pull request. A vulnerable lodash that stays unchanged must get 0 findings.
 * 3. lockfile-lint 5 on the same 40 MB lockfile, against pr-sentinel's CLI judging every entry of it
 *    (the lockfile added, offline: the integrity rules), with the same five planted problems.
 * Every step has a timeout; temporary repositories live under os.tmpdir() and are removed.
 */
import { DEFAULT_NPM_CONCURRENCY } from "../src/services/npm-registry-client.js";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { pino } from "pino";
import { builtinChecks } from "../src/checks/index.js";
import { dependenciesCheck } from "../src/checks/dependencies/index.js";
import { dependencyDelta } from "../src/checks/dependencies/delta.js";
import { packageLockFormat } from "../src/checks/dependencies/parsers/parse-package-lock.js";
import { configFromObject } from "../src/core/config/load-config.js";
import { runScan } from "../src/core/engine.js";
import type { ChangedFile, Finding } from "../src/core/types.js";
import { createServices } from "../src/services/create-services.js";
import type { OsvRecord } from "../src/services/osv/osv-record.js";
import { servicesEnvFrom } from "../src/services/services-env.js";
import { fileChange, LODASH_ADVISORIES, MALWARE_RECORD, OLD_DATE, packageJson } from "../test/checks/dependencies/harness.js";
import { startHarness } from "../test/helpers/fake-github/harness.js";
import { addPullRequest } from "../test/helpers/fake-github/scenario.js";
import { pullRequestPayload } from "../test/helpers/fake-github/webhooks.js";
import { packument, startFakeNpmRegistry, type FakeNpmRegistry, type Packument } from "../test/helpers/fake-npm-registry.js";
import { startFakeOsv, type FakeOsv } from "../test/helpers/fake-osv.js";
import { bestOf, measure, type Measured } from "./bench/measure.mjs";
import { flag, installedVersion, option, printRows, row, section, step, tally, verdict } from "./bench/report.js";
import { cloneLock, generateLock, lineOfKey, popularNames, registryEntry, serializeLock, setEntry, tarballUrl, type LockEntry, type LockModel } from "./bench/npm-lockfile.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const runs = option("runs", 3);
const bigPackages = option("packages", 20_000);
const withApp = !flag("no-app");
const withV3 = !flag("no-v3");
/** `--only 1` or `--only 2`: one scenario. */
const only = option("only", 0);
const REGISTRY_LATENCY_MS = 35;
const OSV_LATENCY_MS = 50;
const MB = 1e6;
const cli = join(root, "dist/cli/main.js");
const lockfileLint = join(root, "node_modules/.bin/lockfile-lint");
const LOCKFILE_LINT = `lockfile-lint ${installedVersion(root, "lockfile-lint")}`;
const LOCKFILE_LINT_FLAGS = ["--type", "npm", "--validate-https", "--allowed-hosts", "npm", "--validate-integrity", "--validate-package-names"];

// ---- Output ----

const s = (seconds: number) => `${seconds.toFixed(2)} s`;
const mib = (m: Measured) => (m.peakMiB === undefined ? "n/a" : `${m.peakMiB.toFixed(0)} MiB`);

const byRule = (findings: readonly { ruleId: string }[]) => tally(findings.map((f) => f.ruleId.replace(/^dependencies\//, "")));

// ---- Fakes ----

const semverRange = (introduced: string, fixed: string) => [{ type: "SEMVER", events: [{ introduced }, { fixed }] }];

function advisory(id: string, name: string, introduced: string, fixed: string, summary: string, severity = "HIGH"): OsvRecord {
  return {
    id,
    modified: "2024-06-01T00:00:00Z",
    summary,
    affected: [{ package: { ecosystem: "npm", name }, ranges: semverRange(introduced, fixed) }],
    database_specific: { severity },
  };
}

/** Advisories for versions nobody installs: the lookup must send them and get no hit. */
function missingAdvisories(names: readonly string[], prefix: string): OsvRecord[] {
  return names.map((name, i) => advisory(`GHSA-${prefix}-miss-${i}`, name, "50.0.0", "50.1.0", `Bench advisory for ${name} 50.x`));
}

function packumentsFor(models: readonly LockModel[]): Packument[] {
  const versions = new Map<string, Map<string, boolean>>();
  for (const model of models) {
    for (const [location, entry] of model.packages) {
      if (location === "") continue;
      const name = location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length);
      const seen = versions.get(name) ?? new Map<string, boolean>();
      seen.set(entry.version as string, entry.hasInstallScript === true);
      versions.set(name, seen);
    }
  }
  return [...versions].map(([name, seen]) =>
    packument(
      name,
      [...seen].map(([version, scripts]) => ({
        version,
        published: OLD_DATE,
        publisher: `maintainer-of-${name.replace(/[@/]/g, "")}`,
        license: "MIT",
        ...(scripts ? { scripts: { postinstall: "node install.js" } } : {}),
      })),
    ),
  );
}

function services(osv: FakeOsv, npm: FakeNpmRegistry) {
  return createServices(servicesEnvFrom({ OSV_API_URL: osv.url, NPM_REGISTRY_URL: npm.url }), { offline: false });
}

function manifestOf(model: LockModel): string {
  const rootEntry = model.packages.get("")!;
  return packageJson(rootEntry.dependencies as Record<string, string>, rootEntry.devDependencies as Record<string, string>);
}

// ---- 1. 300 packages added ----

async function scenarioAdded300(): Promise<void> {
  section("1. pull request adding 300 packages to a 50-package package-lock.json v3 (engine, dependencies check only)");
  const base = generateLock({ packages: 50, nestedShare: 0.1, seed: 11, nameOffset: 0 });
  const baseNames = new Set([...base.packages.keys()].map((k) => k.slice(k.lastIndexOf("node_modules/") + 13)));
  const added = generateLock({ packages: 300, nestedShare: 0.1, seed: 12, nameOffset: 400, exclude: baseNames, pinned: new Map([["evil-helper", "1.0.0"]]) });
  const head = cloneLock(base);
  for (const [location, entry] of added.packages) if (location !== "") setEntry(head, location, entry);
  const rootEntry = { ...head.packages.get("")! };
  const addedRoot = added.packages.get("")!;
  rootEntry.dependencies = { ...(rootEntry.dependencies as object), ...(addedRoot.dependencies as object) };
  rootEntry.devDependencies = { ...(rootEntry.devDependencies as object), ...(addedRoot.devDependencies as object) };
  setEntry(head, "", rootEntry);
  const baseText = serializeLock(base);
  const headText = serializeLock(head);

  // Four added packages at versions with advisories (one of them twice), one known malware.
  const addedTop = [...added.packages].filter(([k]) => k.startsWith("node_modules/") && !k.includes("/node_modules/", 1) && k !== "node_modules/evil-helper");
  const hits = addedTop.filter((_, i) => i % 70 === 5).slice(0, 4);
  const bumpPatch = (v: string) => v.replace(/\d+$/, (p) => String(Number(p) + 1));
  const hitRecords = hits.flatMap(([location, entry], i) => {
    const name = location.slice("node_modules/".length);
    const records = [advisory(`GHSA-bench-hit-${i}`, name, "0", bumpPatch(entry.version as string), `Bench advisory: ${name} before ${bumpPatch(entry.version as string)}`)];
    if (i === 0) records.push(advisory(`GHSA-bench-hit-${i}b`, name, "0", "99.0.0", `Bench advisory: every ${name}`, "MODERATE"));
    return records;
  });
  const everyName = [...head.packages.keys()].filter((k) => k !== "").map((k) => k.slice(k.lastIndexOf("node_modules/") + 13));
  const records = [...hitRecords, MALWARE_RECORD, ...missingAdvisories(everyName.slice(0, 250), "a"), ...missingAdvisories(popularNames(100, 5000), "b")];
  const osv = await startFakeOsv(records, { latencyMs: OSV_LATENCY_MS });
  const npm = await startFakeNpmRegistry(packumentsFor([base, head]), { latencyMs: REGISTRY_LATENCY_MS });
  try {
    const files: ChangedFile[] = [fileChange("package.json", manifestOf(base), manifestOf(head)), fileChange("package-lock.json", baseText, headText)];
    const checks = [dependenciesCheck];
    const config = configFromObject({}, "bench", checks);
    const logger = pino({ level: "silent" });
    const addedNpmNames = new Set([...added.packages.keys()].filter((k) => k !== "").map((k) => k.slice(k.lastIndexOf("node_modules/") + 13)));
    let best = Infinity;
    let first: { durationMs: number; wallMs: number; findings: readonly Finding[]; status: string; querybatch: number; vulns: number; batchSizes: number[]; registry: number; registryNames: number; maxInFlight: number; vulnIds: number } | undefined;
    for (let i = 0; i < runs; i++) {
      osv.requests.reset();
      const registryBefore = npm.requests.length;
      const started = performance.now();
      // Fresh clients each run: no packument cache carried over.
      const result = await runScan({ files, checks, config, logger, services: services(osv, npm), offline: false });
      const wallMs = performance.now() - started;
      const outcome = result.outcomes.find((o) => o.checkId === "dependencies")!;
      best = Math.min(best, outcome.durationMs);
      const asked = npm.requests.slice(registryBefore);
      first ??= {
        durationMs: outcome.durationMs,
        wallMs,
        findings: result.findings,
        status: outcome.status,
        querybatch: osv.requests.querybatch,
        vulns: osv.requests.vulns,
        batchSizes: [...osv.requests.batchSizes],
        registry: asked.length,
        registryNames: new Set(asked.map((r) => r.name)).size,
        maxInFlight: npm.maxInFlight,
        vulnIds: new Set(osv.requests.vulnIds).size,
      };
    }
    const f = first!;
    row("lockfile base -> head", `${(baseText.length / 1e3).toFixed(0)} KB -> ${(headText.length / 1e3).toFixed(0)} KB, ${base.packages.size - 1} -> ${head.packages.size - 1} entries (${[...added.packages.keys()].filter((k) => k.includes("/node_modules/", 1)).length} added nested copies), ${addedNpmNames.size} added names`);
    row("fakes", `OSV ${records.length} records (${hitRecords.length + 1} hit), ${OSV_LATENCY_MS} ms latency; npm registry ${REGISTRY_LATENCY_MS} ms latency`);
    row("check duration, first run", `${(f.durationMs / 1000).toFixed(2)} s (target < 2 s) ${verdict(f.durationMs < 2000)}; status ${f.status}; runScan wall ${(f.wallMs / 1000).toFixed(2)} s (cold)`);
    row("check duration, best of " + runs, `${(best / 1000).toFixed(2)} s (target < 2 s) ${verdict(best < 2000)} (fresh clients each run: no packument cache)`);
    row("OSV querybatch requests", `${f.querybatch} (${f.batchSizes.join(", ")} queries) (target 1) ${verdict(f.querybatch === 1)}`);
    row("OSV vulns requests", `${f.vulns} for ${f.vulnIds} distinct hit ids (target: hits only, ${hitRecords.length + 1}) ${verdict(f.vulns === hitRecords.length + 1)}`);
    row("npm registry requests", `${f.registry} for ${f.registryNames} names (target <= ${addedNpmNames.size}, one per added package) ${verdict(f.registry <= addedNpmNames.size && f.registry === f.registryNames)}`);
    row("  most in flight at once", `${f.maxInFlight} (client bound ${DEFAULT_NPM_CONCURRENCY}) ${verdict(f.maxInFlight > 1 && f.maxInFlight <= DEFAULT_NPM_CONCURRENCY)}`);
    row("  floor at that concurrency", `${((Math.ceil(f.registry / Math.max(1, f.maxInFlight)) * REGISTRY_LATENCY_MS) / 1000).toFixed(2)} s of registry latency alone`);
    row("findings", `${f.findings.length}: ${byRule(f.findings)}`);
    // Where the time goes: the same scan with one of the two network phases turned off.
    for (const [label, options] of [
      ["  without registry signals (OSV only)", { registry_signals: false }],
      ["  without OSV lookups (registry only)", { vulnerabilities: false }],
      ["  neither (parse, delta, typosquats)", { registry_signals: false, vulnerabilities: false }],
    ] as const) {
      const partial = configFromObject({ checks: { dependencies: options } }, "bench", checks);
      let fastest = Infinity;
      for (let i = 0; i < runs; i++) {
        const result = await runScan({ files, checks, config: partial, logger, services: services(osv, npm), offline: false });
        fastest = Math.min(fastest, result.outcomes.find((o) => o.checkId === "dependencies")!.durationMs);
      }
      row(label, `${(fastest / 1000).toFixed(2)} s (best of ${runs})`);
    }

    // The peer on the same head lockfile (it lints the whole file; the change is most of it).
    const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-bench-deps-small-"));
    try {
      writeFileSync(join(dir, "package-lock.json"), headText);
      const lint = await bestOf(runs, lockfileLint, ["--path", "package-lock.json", ...LOCKFILE_LINT_FLAGS], { cwd: dir, timeoutSeconds: 60 });
      row(`${LOCKFILE_LINT} on the head lockfile`, `${s(lint.seconds)}, ${mib(lint)}, exit ${lint.code} (lints only; no advisories, no registry); pr-sentinel check ${(best / 1000).toFixed(2)} s incl. network`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await Promise.all([osv.close(), npm.close()]);
  }
}

// ---- 2 and 3. The 40 MB lockfile ----

interface BigScenario {
  readonly baseText: string;
  readonly headText: string;
  readonly bumpedLine: number;
  readonly lodashLine: number;
  readonly planted: readonly { name: string; problem: string }[];
  readonly records: OsvRecord[];
  readonly packuments: Packument[];
  readonly entries: number;
  /** Entries that are nested copies (node_modules/a/node_modules/b). */
  readonly nested: number;
}

const MINIMIST_ADVISORY = advisory("GHSA-xvch-5gv4-984h", "minimist", "0", "1.2.6", "Prototype pollution in minimist (bench record)", "CRITICAL");

/** Five lockfile problems both tools know about, planted in base (so unchanged at head). */
function plantProblems(model: LockModel): { name: string; problem: string }[] {
  const candidates = [...model.packages].filter(([k, e]) => /^node_modules\/[^@/]+$/.test(k) && !e.hasInstallScript && !["node_modules/lodash", "node_modules/minimist"].includes(k));
  const planted: { name: string; problem: string }[] = [];
  const plant = (index: number, problem: string, edit: (name: string, entry: LockEntry) => LockEntry) => {
    const [location, entry] = candidates[index]!;
    const name = location.slice("node_modules/".length);
    model.packages.set(location, edit(name, entry));
    planted.push({ name, problem });
  };
  plant(101, "plain http resolved", (n, e) => ({ ...e, resolved: tarballUrl(n, e.version as string, "http://registry.npmjs.org") }));
  plant(202, "foreign host", (n, e) => ({ ...e, resolved: tarballUrl(n, e.version as string, "https://registry.evil.example") }));
  plant(303, "resolved names another package", (_, e) => ({ ...e, resolved: tarballUrl("evil-payload", "1.0.0") }));
  plant(404, "missing integrity", (_, e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== "integrity")));
  plant(505, "sha1 integrity", (n, e) => ({ ...e, integrity: `sha1-${createHash("sha1").update(n).digest("base64")}` }));
  return planted;
}

function bigScenario(packages: number, lockfileVersion: 2 | 3, dependenciesMean: number): BigScenario {
  const base = generateLock({
    packages,
    nestedShare: 0.25,
    dependenciesMean,
    seed: 2,
    pinned: new Map([
      ["lodash", "4.17.15"],
      ["minimist", "1.2.0"],
    ]),
  });
  const planted = plantProblems(base);
  const head = cloneLock(base);
  const minimist = head.packages.get("node_modules/minimist")!;
  head.packages.set("node_modules/minimist", registryEntry("minimist", "1.2.5", Object.fromEntries(Object.entries(minimist).filter(([k]) => !["version", "resolved", "integrity"].includes(k)))));
  const baseText = serializeLock(base, lockfileVersion);
  const headText = serializeLock(head, lockfileVersion);
  const names = [...base.packages.keys()].filter((k) => k !== "").map((k) => k.slice(k.lastIndexOf("node_modules/") + 13));
  return {
    baseText,
    headText,
    bumpedLine: lineOfKey(headText, "node_modules/minimist"),
    lodashLine: lineOfKey(headText, "node_modules/lodash"),
    planted,
    records: [...LODASH_ADVISORIES, MINIMIST_ADVISORY, ...missingAdvisories(names.filter((_, i) => i % 40 === 0), "big")],
    packuments: [
      packument("minimist", ["1.2.0", "1.2.5"].map((version) => ({ version, published: OLD_DATE, publisher: "substack", license: "MIT" }))),
      packument("lodash", ["4.17.15", "4.17.21"].map((version) => ({ version, published: OLD_DATE, publisher: "jdalton", license: "MIT" }))),
    ],
    entries: base.packages.size - 1,
    nested: [...base.packages.keys()].filter((k) => k.includes("/node_modules/", 1)).length,
  };
}

function parseAndDelta(big: { baseText: string; headText: string }): { parseMs: number; deltaMs: number; changes: number; packages: number } {
  const started = performance.now();
  const base = packageLockFormat.parse(big.baseText, "package-lock.json");
  const head = packageLockFormat.parse(big.headText, "package-lock.json");
  const parsed = performance.now();
  const changes = dependencyDelta(base.dependencies, head.dependencies);
  return { parseMs: parsed - started, deltaMs: performance.now() - parsed, changes: changes.length, packages: head.dependencies.length };
}

function inProcess(label: string, big: { baseText: string; headText: string }): void {
  let best: ReturnType<typeof parseAndDelta> | undefined;
  for (let i = 0; i < runs; i++) {
    const r = parseAndDelta(big);
    if (!best || r.parseMs + r.deltaMs < best.parseMs + best.deltaMs) best = r;
  }
  const total = best!.parseMs + best!.deltaMs;
  row(label, `${s(total / 1000)} (parse base+head ${s(best!.parseMs / 1000)}, delta ${(best!.deltaMs).toFixed(0)} ms; ${best!.packages} dependencies, ${best!.changes} changed) best of ${runs} (target < 1.5 s) ${verdict(total < 1500)}`);
}

function git(cwd: string, ...argv: string[]): string {
  return execFileSync("git", argv, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).trim();
}

function makeRepo(big: BigScenario): { dir: string; empty: string; base: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-bench-deps-"));
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.email", "bench@pr-sentinel.invalid");
  git(dir, "config", "user.name", "bench");
  git(dir, "config", "commit.gpgsign", "false");
  const commit = (message: string) => {
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", message);
    return git(dir, "rev-parse", "HEAD");
  };
  writeFileSync(join(dir, "README.md"), "# bench\n");
  const empty = commit("empty");
  writeFileSync(join(dir, "package-lock.json"), big.baseText);
  const base = commit("base lockfile");
  writeFileSync(join(dir, "package-lock.json"), big.headText);
  const head = commit("bump minimist");
  return { dir, empty, base, head };
}

interface CliReport {
  outcomes: { checkId: string; status: string; durationMs: number; message: string | null }[];
  findings: { checkId: string; ruleId: string; path: string; startLine: number; message: string }[];
}

function cliCommand(): { node: string; argv: string[] } {
  const shebang = readFileSync(cli, "utf8").split("\n", 1)[0]!;
  const nodeFlags = (/^#!\/usr\/bin\/env\s+(?:-S\s+)?node\s*(.*)$/.exec(shebang)?.[1] ?? "").split(/\s+/).filter(Boolean);
  return { node: process.execPath, argv: [...nodeFlags, cli] };
}

function report(run: Measured, label: string): CliReport | undefined {
  if (run.timedOut || (run.code !== 0 && run.code !== 1)) {
    row(label, `exit ${run.code}${run.timedOut ? " (timed out)" : ""}: ${run.stderr.trim().split("\n").slice(0, 2).join(" | ").slice(0, 300)}`);
    return undefined;
  }
  return JSON.parse(run.stdout) as CliReport;
}

async function scenarioBig(): Promise<void> {
  section(`2. a ${bigPackages.toLocaleString("en")}-package package-lock.json at base and head, one version bump (minimist 1.2.0 -> 1.2.5)`);
  let started = performance.now();
  const big = bigScenario(bigPackages, 2, 15);
  const lockMB = big.headText.length / MB;
  row("lockfile", `${lockMB.toFixed(1)} MB, ${big.headText.split("\n").length.toLocaleString("en")} lines, ${big.entries.toLocaleString("en")} entries (${((100 * big.nested) / big.entries).toFixed(0)} % nested copies), lockfileVersion 2; generated in ${s((performance.now() - started) / 1000)}`);

  // (a) in-process
  inProcess("(a) parse + delta in-process", big);
  if (withV3) {
    started = performance.now();
    // The same 40 MB as v3 only (packages, no legacy tree) holds far more entries: the heavier graph.
    const v3 = bigScenario(Math.round(bigPackages * 1.85), 3, 15);
    inProcess(`    same bytes as v3 (${(v3.headText.length / MB).toFixed(1)} MB, ${v3.entries.toLocaleString("en")} entries)`, v3);
  }

  const repo = makeRepo(big);
  const osv = await startFakeOsv(big.records, { latencyMs: OSV_LATENCY_MS });
  const npm = await startFakeNpmRegistry(big.packuments, { latencyMs: REGISTRY_LATENCY_MS });
  const configDir = mkdtempSync(join(tmpdir(), "pr-sentinel-bench-deps-config-"));
  try {
    const { node, argv } = cliCommand();
    const scan = (from: string, to: string, extra: string[] = []) => [...argv, "scan", "--base", from, "--head", to, "--format", "json", ...extra];
    const depFindings = (r: CliReport) => r.findings.filter((f) => f.checkId === "dependencies");

    // (b) the CLI end to end, offline
    await step("(b) CLI offline", 600, async () => {
      const run = await bestOf(runs, node, scan(repo.base, repo.head, ["--offline"]), { cwd: repo.dir, timeoutSeconds: 120 });
      const r = report(run, "(b) CLI offline");
      if (!r) return;
      const outcome = r.outcomes.find((o) => o.checkId === "dependencies");
      row("(b) CLI scan --offline (best of " + runs + ")", `${s(run.seconds)}, peak RSS ${mib(run)} (target < 400 MB) ${verdict((run.peakMiB ?? Infinity) < 400)}; exit ${run.code}`);
      row("    dependencies check", `${((outcome?.durationMs ?? NaN) / 1000).toFixed(2)} s, ${outcome?.status}; ${depFindings(r).length} findings (${byRule(depFindings(r))}); says: ${outcome?.message?.replace(/\s+/g, " ").slice(0, 110) ?? "-"}`);
    });

    // (b) online, against the fakes
    await step("(b) CLI online", 300, async () => {
      osv.requests.reset();
      const before = npm.requests.length;
      const run = await measure(node, scan(repo.base, repo.head), { cwd: repo.dir, timeoutSeconds: 120, env: { OSV_API_URL: osv.url, NPM_REGISTRY_URL: npm.url } });
      const r = report(run, "(b) CLI online");
      if (!r) return;
      const found = depFindings(r);
      const onBump = found.filter((f) => f.path === "package-lock.json" && f.startLine === big.bumpedLine && f.ruleId.endsWith("vulnerable-dependency"));
      const onLodash = found.filter((f) => f.message.includes("lodash"));
      const outcome = r.outcomes.find((o) => o.checkId === "dependencies");
      row("(b) CLI scan against fake OSV + npm", `${s(run.seconds)}, peak RSS ${mib(run)} ${verdict((run.peakMiB ?? Infinity) < 400)}; exit ${run.code}; check ${((outcome?.durationMs ?? NaN) / 1000).toFixed(2)} s ${outcome?.status}`);
      row("    finding on the bumped line", `${onBump.length ? `${onBump[0]!.ruleId} at package-lock.json:${big.bumpedLine}` : `none at line ${big.bumpedLine}`} ${verdict(onBump.length === 1)}; all: ${found.map((f) => `${f.ruleId.replace(/^dependencies\//, "")}@${f.startLine}`).join(", ") || "none"}`);
      row("    unchanged vulnerable lodash@4.17.15", `${onLodash.length} findings (target 0) ${verdict(onLodash.length === 0)}`);
      row("    requests", `OSV querybatch ${osv.requests.querybatch} (${osv.requests.batchSizes.join(", ")} queries), vulns ${osv.requests.vulns}; registry ${npm.requests.length - before} (${[...new Set(npm.requests.slice(before).map((q) => q.name))].join(", ")})`);
    });

    // 3. every entry judged (the lockfile added), against lockfile-lint on the same file
    const config = join(configDir, "integrity-only.yml");
    writeFileSync(config, "checks:\n  secrets:\n    enabled: false\n  dependencies:\n    typosquats: false\n");
    const headPath = join(repo.dir, "package-lock.json");
    let ours: Measured | undefined;
    let oursReport: CliReport | undefined;
    await step("3. pr-sentinel integrity", 600, async () => {
      ours = await bestOf(runs, node, scan(repo.empty, repo.head, ["--offline", "--config", config]), { cwd: repo.dir, timeoutSeconds: 120 });
      oursReport = report(ours, "3. pr-sentinel integrity");
    });
    let lint: Measured | undefined;
    await step("3. lockfile-lint", 600, async () => {
      lint = await bestOf(runs, lockfileLint, ["--path", headPath, ...LOCKFILE_LINT_FLAGS], { cwd: repo.dir, timeoutSeconds: 300 });
    });
    section(`3. the whole ${lockMB.toFixed(0)} MB head lockfile judged: pr-sentinel (lockfile added, --offline, secrets and typosquats off) vs ${LOCKFILE_LINT}`);
    const planted = big.planted;
    const lintFound = (name: string) => (lint?.stderr ?? "").split("\n").some((line) => line.startsWith("detected") && new RegExp(`(?:: |^)${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:@|$)`).test(line.split("for package")[1]?.replace(/^ with a different name/, "").trim() ?? ""));
    const oursFound = (name: string) => (oursReport ? depFindings(oursReport).some((f) => f.message.includes(`\`${name}@`) && !f.ruleId.endsWith("install-script")) : false);
    if (ours && oursReport) {
      const outcome = oursReport.outcomes.find((o) => o.checkId === "dependencies");
      row("pr-sentinel scan (CLI)", `${s(ours.seconds)}, peak RSS ${mib(ours)}, exit ${ours.code}; check ${((outcome?.durationMs ?? NaN) / 1000).toFixed(2)} s; ${depFindings(oursReport).length} findings (${byRule(depFindings(oursReport))})`);
    }
    if (lint) {
      const detected = lint.stderr.split("\n").filter((l) => l.startsWith("detected")).length;
      row(`${LOCKFILE_LINT} (same flags as the issue)`, `${s(lint.seconds)}, peak RSS ${mib(lint)}, exit ${lint.code}; ${detected} issues`);
    }
    if (ours && lint) {
      row("pr-sentinel speed-up vs lockfile-lint", `${(lint.seconds / ours.seconds).toFixed(2)}x wall, ${((lint.peakMiB ?? NaN) / (ours.peakMiB ?? NaN)).toFixed(2)}x memory (lockfile-lint / pr-sentinel)`);
    }
    for (const p of planted) row(`  planted: ${p.problem}`, `pr-sentinel ${oursFound(p.name) ? "found" : "MISSED"}, lockfile-lint ${lintFound(p.name) ? "found" : "MISSED"} (${p.name})`);

    // (c) the app
    if (withApp) {
      section("2 (c). the GitHub App against the fake GitHub, same base and head lockfile in a pull request");
      const patch = git(repo.dir, "diff", "--no-color", "--no-ext-diff", "-U3", repo.base, repo.head, "--", "package-lock.json");
      await step("(c) app", 300, async () => appScan(big, osv, npm, patch.slice(patch.indexOf("\n@@") + 1)));
    }
  } finally {
    await Promise.all([osv.close(), npm.close()]);
    rmSync(repo.dir, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
  }
}

/**
 * `patch` is git's own diff of the lockfile: the fake's one-hunk patch would span from the bump in
 * `packages` to the same bump in v2's legacy tree (half the file, 38 MB), which GitHub never sends.
 */
async function appScan(big: BigScenario, osv: FakeOsv, npm: FakeNpmRegistry, patch: string): Promise<void> {
  const h = await startHarness({ checks: builtinChecks, osvApiUrl: osv.url, npmRegistryUrl: npm.url, logLevel: "info" });
  try {
    osv.requests.reset();
    const registryBefore = npm.requests.length;
    const pull = addPullRequest(h.fake, { owner: "bench", repo: "deps", number: 1, changes: [{ path: "package-lock.json", base: big.baseText, head: big.headText }] });
    const lines = patch.split("\n");
    const additions = lines.filter((l) => l.startsWith("+")).length;
    const deletions = lines.filter((l) => l.startsWith("-")).length;
    pull.files[0] = { ...pull.files[0]!, patch, additions, deletions, changes: additions + deletions };
    const sentAt = Date.now();
    const delivery = await h.send(
      "pull_request",
      pullRequestPayload({ action: "opened", owner: "bench", repo: "deps", installationId: 7, number: 1, headSha: pull.headSha, baseSha: pull.baseSha, changedFiles: 1 }),
    );
    if (delivery.status !== 200) throw new Error(`webhook answered ${delivery.status}`);
    await h.fake.waitFor(() => h.fake.state.checkRunsFor(pull.headSha).some((r) => r.status === "completed"), 240_000);
    const run = h.fake.state.checkRunsFor(pull.headSha)[0]!;
    const verdictMs = run.history.find((x) => x.status === "completed")!.at - sentAt;
    await h.app.idle();
    const comments = h.fake.state.reviewCommentsOf("bench", "deps", 1);
    const places = [
      ...comments.map((c) => ({ path: c.path, line: c.line, text: c.body })),
      ...run.annotations.map((a) => ({ path: String(a.path), line: Number(a.start_line), text: `${String(a.title ?? "")} ${String(a.message ?? "")}` })),
    ];
    const onBump = places.filter((p) => p.path === "package-lock.json" && p.line === big.bumpedLine);
    const onLodash = places.filter((p) => p.text.includes("lodash"));
    let engineMs: number | undefined;
    for (const line of h.logs) {
      const entry = JSON.parse(line) as { msg?: string; engineMs?: number };
      if (entry.msg === "engine finished") engineMs = entry.engineMs;
    }
    row("check run", `conclusion ${run.conclusion}; ${run.annotations.length} annotations, ${comments.length} review comments; title "${run.output.title ?? ""}"`);
    if (run.output.title?.includes("could not finish")) row("  why", (run.output.summary ?? "").replace(/\s+/g, " ").slice(0, 300));
    row("finding on the bumped line", `${onBump.length > 0 ? `yes, package-lock.json:${big.bumpedLine}: ${onBump[0]!.text.replace(/\s+/g, " ").slice(0, 110)}` : `none at line ${big.bumpedLine}`} ${verdict(onBump.length > 0)}`);
    row("unchanged vulnerable lodash@4.17.15", `${onLodash.length} findings (target 0) ${verdict(onLodash.length === 0)}`);
    row("webhook -> verdict", `${(verdictMs / 1000).toFixed(2)} s (engine ${engineMs === undefined ? "?" : `${(engineMs / 1000).toFixed(2)} s`} as logged)`);
    row("requests", `OSV querybatch ${osv.requests.querybatch}, vulns ${osv.requests.vulns}; registry ${npm.requests.length - registryBefore}; GitHub ${h.fake.requests.length}`);
  } finally {
    await h.stop();
  }
}

console.log(`pr-sentinel dependencies benchmark; node ${process.version}; runs ${runs}`);
if (only !== 2) await step("1. 300 packages added", 180, scenarioAdded300);
printRows();
if (only !== 1) await step(`2. ${bigPackages.toLocaleString("en")}-package lockfile`, 1800, scenarioBig);
printRows();
