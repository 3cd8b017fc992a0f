/**
 * The `pr-sentinel` command as a function: arguments and streams in, exit code out. main.ts only
 * wires it to the process; tests call it in-process with their own checks and streams.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { pino, type Logger } from "pino";
import { builtinChecks } from "../checks/index.js";
import { baselineEntries, MAX_BASELINE_BYTES, renderBaselineFile } from "../core/config/baseline-file.js";
import { ConfigError } from "../core/config/load-config.js";
import { runScan } from "../core/engine.js";
import type { Check, ScanResult } from "../core/types.js";
import { createServices } from "../services/create-services.js";
import { servicesEnvFrom, ServicesEnvError } from "../services/services-env.js";
import { renderReport, type ScanScope } from "../reporters/index.js";
import { oneLine } from "../reporters/plain-text.js";
import { projectUrlOf } from "../core/docs-url.js";
import { renderSarif } from "../reporters/sarif.js";
import { rangeLabel } from "../reporters/scan-scope.js";
import { openGitChange } from "../sources/git/open-git-change.js";
import { originWebUri } from "../sources/git/remote-url.js";
import { GitSourceError } from "../sources/git/run-git.js";
import { parseCommand, UsageError, type ScanArgs } from "./args.js";
import { BASELINE_HELP, MAIN_HELP, SCAN_HELP } from "./help.js";
import { scanHistory, withRangeCommits } from "./commit-scans.js";
import { loadScanConfig, type LoadedConfig } from "./load-scan-config.js";
import { createScanPathFilter } from "./path-filter.js";
import { scanScope } from "./scan-scope.js";
import { toolVersion } from "../tool-version.js";

export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  /** The checks to run; default: the built-in registry. */
  readonly checks?: readonly Check[];
  readonly cwd?: string;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env?: NodeJS.ProcessEnv;
}

/** `--output` could not be written: the flags were fine, so no pointer to --help. Exit 2 all the same. */
class ReportWriteError extends Error {}

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

const MAX_REASON_CHARS = 500;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // One line, bounded, whatever an error message holds: CI logs and hooks show stderr as is.
  const say = (line: string) => io.stderr.write(`pr-sentinel: ${oneLine(line, MAX_REASON_CHARS)}\n`);
  try {
    // The database commands load SQLite and PostgreSQL clients: only when asked, so a scan starts fast.
    if (argv[0] === "audit") {
      const { runAuditCommand } = await import("./audit-command.js");
      return await runAuditCommand(argv.slice(1), { stdout: io.stdout, stderr: io.stderr, env: io.env ?? process.env });
    }
    if (argv[0] === "tokens") {
      const { runTokensCommand } = await import("./tokens-command.js");
      return await runTokensCommand(argv.slice(1), { stdout: io.stdout, stderr: io.stderr, env: io.env ?? process.env });
    }
    const command = parseCommand(argv);
    if (command.kind === "help") {
      io.stdout.write(HELP[command.topic]);
      return EXIT_PASS;
    }
    if (command.kind === "version") {
      io.stdout.write(`${toolVersion()}\n`);
      return EXIT_PASS;
    }
    if (command.kind === "baseline") return await baseline(command.args, io, say);
    return await scan(command.args, io, say);
  } catch (error) {
    if (error instanceof UsageError || error instanceof GitSourceError || error instanceof ReportWriteError || error instanceof ServicesEnvError) {
      say(error.message);
      if (error instanceof UsageError) io.stderr.write(`Run pr-sentinel ${argv[0] === "baseline" ? "baseline" : "scan"} --help for the options.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      say(`invalid config ${error.source}:`);
      // Problems quote keys from the file, which may hold newlines or terminal escapes.
      for (const problem of error.problems) io.stderr.write(`  ${oneLine(problem, MAX_REASON_CHARS)}\n`);
      return EXIT_USAGE;
    }
    // Not a verdict: exit 2, never 0, so a CI gate cannot read a crash as a pass.
    say(`internal error (the scan did not finish): ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_USAGE;
  }
}

const HELP = { main: MAIN_HELP, scan: SCAN_HELP, baseline: BASELINE_HELP } as const;

async function scan(args: ScanArgs, io: CliIo, say: (line: string) => void): Promise<number> {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const { result, scope, docsBaseUrl } = await scanForCommand(args, io, { withBaseline: true });
  await writeReport(args, result, scope, io, env, cwd, say, docsBaseUrl);
  return result.verdict.conclusion === "fail" ? EXIT_FAIL : EXIT_PASS;
}

/**
 * `pr-sentinel baseline --output FILE`: the same scan, without the baseline the config may already
 * name (so writing it again keeps its entries), written as a baseline file. Exit 0 once written:
 * the findings are what is being accepted, not a verdict.
 */
async function baseline(args: ScanArgs & { readonly output: string }, io: CliIo, say: (line: string) => void): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const { result, scope } = await scanForCommand(args, io, { withBaseline: false });
  const date = new Date().toISOString().slice(0, 10);
  const entries = baselineEntries(result.findings, date);
  const format = args.output.toLowerCase().endsWith(".json") ? "json" : "yaml";
  const text = renderBaselineFile(entries, { date, format, scope: rangeLabel(scope) });
  if (Buffer.byteLength(text) > MAX_BASELINE_BYTES) {
    // Scans would refuse to read it: say so now rather than after it is committed.
    throw new ReportWriteError(
      `${entries.length} findings make a baseline larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MB, which scans refuse to read; write one per folder (PATH...) or use paths.ignore for generated code`,
    );
  }
  try {
    // `.github/pr-sentinel-baseline.yml` in a repository without a .github folder yet.
    const path = resolve(cwd, args.output);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new ReportWriteError(`cannot write the baseline to ${args.output}: ${(error as Error).message}`);
  }
  const notChecked = result.outcomes.filter((o) => o.status === "error" || o.status === "skipped").map((o) => o.checkId);
  const partial = notChecked.length > 0 ? `; not every check ran (${notChecked.join(", ")}), so it may be missing findings` : "";
  say(`wrote ${entries.length} baseline entr${entries.length === 1 ? "y" : "ies"} to ${args.output} (${rangeLabel(scope)})${partial}; commit it and set baseline: <its path> in .github/pr-sentinel.yml`);
  return EXIT_PASS;
}

interface ScanOutcome {
  readonly result: ScanResult;
  readonly scope: ScanScope;
  /** `PR_SENTINEL_DOCS_URL`: help links and SARIF's informationUri. */
  readonly docsBaseUrl: string | undefined;
}

async function scanForCommand(args: ScanArgs, io: CliIo, options: { readonly withBaseline: boolean }): Promise<ScanOutcome> {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const checks = io.checks ?? builtinChecks;
  const logger = createLogger(env, io.stderr);
  // Network clients for checks, built as the app builds them; `--offline` turns every one off.
  const servicesEnv = servicesEnvFrom(env);
  const docsBaseUrl = servicesEnv.PR_SENTINEL_DOCS_URL;
  if (args.history) {
    const history = await scanHistory(args, { cwd, env, checks, logger, withBaseline: options.withBaseline, ...(docsBaseUrl ? { docsBaseUrl } : {}) });
    return { ...history, docsBaseUrl };
  }
  const services = createServices(servicesEnv, { offline: args.offline });

  // The config is read before the diff (from the base, through the source), so that its
  // paths.ignore keeps git from even diffing an ignored tree.
  let loadedConfig: LoadedConfig | undefined;
  const change = await openGitChange({
    cwd,
    base: args.base,
    head: args.head,
    staged: args.staged,
    all: args.all,
    env,
    ignore: async (source) => {
      loadedConfig = await loadScanConfig({ file: args.config, cwd, staged: args.staged, all: args.all, change: source, checks, withBaseline: options.withBaseline });
      return loadedConfig.config.paths.ignore;
    },
  });
  try {
    const loaded = loadedConfig!;
    logger.debug({ config: loaded.source, base: change.baseRef, head: change.headRef }, "scan starting");
    const config = args.failOn ? { ...loaded.config, fail_on: args.failOn } : loaded.config;
    // `scan PATH…` narrows the change before the engine sees it; the config still comes from the base.
    const keep = createScanPathFilter(args.paths, cwd, change.root);
    const files = keep ? change.files.filter((f) => keep(f.path)) : change.files;
    const scope = scanScope({ args, change, config: loaded.origin, matched: files });
    const head = await runScan({
      files,
      config,
      checks,
      logger,
      offline: args.offline,
      services,
      readFileAtHead: (path) => change.readAtHead(path),
      notes: change.notes,
      ignoredBySource: change.ignoredFiles,
      baseline: loaded.baseline,
      ...(docsBaseUrl ? { docsBaseUrl } : {}),
    });
    // --staged and --all have no commits of their own to look into.
    if (!args.commits || args.staged || args.all || change.headId === undefined) return { result: head, scope, docsBaseUrl };
    const range = { root: change.root, baseId: change.baseId, headId: change.headId };
    const result = await withRangeCommits(head, range, args, { config, checks, logger, env, baseline: loaded.baseline, keep, ...(docsBaseUrl ? { docsBaseUrl } : {}) });
    return { result, scope, docsBaseUrl };
  } finally {
    await change.close();
  }
}

async function writeReport(
  args: ScanArgs,
  result: ScanResult,
  scope: ScanScope,
  io: CliIo,
  env: NodeJS.ProcessEnv,
  cwd: string,
  say: (line: string) => void,
  docsBaseUrl: string | undefined,
): Promise<void> {
  const toFile = args.output !== undefined;
  // https://no-color.org: any non-empty NO_COLOR turns color off.
  const color = !toFile && !args.noColor && io.stdout.isTTY === true && !env.NO_COLOR;
  // SARIF names the repository (the origin remote, credentials stripped) and the commit scanned.
  const report =
    args.format === "sarif"
      ? renderSarif(result, {
          toolVersion: toolVersion(),
          repositoryUri: await originWebUri({ cwd, env }),
          revisionId: scope.head.commit ?? undefined,
          ...(docsBaseUrl ? { informationUri: projectUrlOf(docsBaseUrl) } : {}),
        })
      : renderReport(args.format, result, { color, toolVersion: toolVersion(), scope, verbose: args.verbose });
  if (!toFile) {
    io.stdout.write(report.endsWith("\n") ? report : `${report}\n`);
    return;
  }
  try {
    await writeFile(resolve(cwd, args.output!), report.endsWith("\n") ? report : `${report}\n`);
  } catch (error) {
    throw new ReportWriteError(`cannot write the report to ${args.output}: ${(error as Error).message}`);
  }
  say(`${result.verdict.conclusion}: ${result.verdict.title} (${rangeLabel(scope)}; ${args.format} report in ${args.output})`);
}

function createLogger(env: NodeJS.ProcessEnv, stderr: OutputStream): Logger {
  // A check that fails is already in the report ("Not checked"); at `warn` it would also print a
  // JSON log line, which a pre-commit hook shows as noise. Operators who want logs set LOG_LEVEL.
  const level = env.LOG_LEVEL?.trim() || "error";
  if (!LOG_LEVELS.includes(level)) {
    throw new UsageError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(level)}`);
  }
  // stdout carries the report; logs only ever go to stderr.
  return pino({ name: "pr-sentinel", level }, { write: (line: string) => void stderr.write(line) });
}
