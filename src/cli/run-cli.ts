/**
 * The `pr-sentinel` command as a function: arguments and streams in, exit code out. main.ts only
 * wires it to the process; tests call it in-process with their own checks and streams.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pino, type Logger } from "pino";
import { builtinChecks } from "../checks/index.js";
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
import { MAIN_HELP, SCAN_HELP } from "./help.js";
import { loadScanConfig } from "./load-scan-config.js";
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
    const command = parseCommand(argv);
    if (command.kind === "help") {
      io.stdout.write(command.topic === "scan" ? SCAN_HELP : MAIN_HELP);
      return EXIT_PASS;
    }
    if (command.kind === "version") {
      io.stdout.write(`${toolVersion()}\n`);
      return EXIT_PASS;
    }
    return await scan(command.args, io, say);
  } catch (error) {
    if (error instanceof UsageError || error instanceof GitSourceError || error instanceof ReportWriteError || error instanceof ServicesEnvError) {
      say(error.message);
      if (error instanceof UsageError) io.stderr.write("Run pr-sentinel scan --help for the options.\n");
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

async function scan(args: ScanArgs, io: CliIo, say: (line: string) => void): Promise<number> {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const checks = io.checks ?? builtinChecks;
  const logger = createLogger(env, io.stderr);
  // Network clients for checks, built as the app builds them; `--offline` turns every one off.
  const servicesEnv = servicesEnvFrom(env);
  const services = createServices(servicesEnv, { offline: args.offline });

  const change = await openGitChange({ cwd, base: args.base, head: args.head, staged: args.staged, all: args.all, env });
  try {
    const loaded = await loadScanConfig({ file: args.config, cwd, staged: args.staged, all: args.all, change, checks });
    logger.debug({ config: loaded.source, base: change.baseRef, head: change.headRef }, "scan starting");
    const config = args.failOn ? { ...loaded.config, fail_on: args.failOn } : loaded.config;
    // `scan PATH…` narrows the change before the engine sees it; the config still comes from the base.
    const keep = createScanPathFilter(args.paths, cwd, change.root);
    const files = keep ? change.files.filter((f) => keep(f.path)) : change.files;
    const scope = scanScope({ args, change, config: loaded.origin, matched: files });
    const result = await runScan({
      files,
      config,
      checks,
      logger,
      offline: args.offline,
      services,
      readFileAtHead: (path) => change.readAtHead(path),
      notes: change.notes,
      ...(servicesEnv.PR_SENTINEL_DOCS_URL ? { docsBaseUrl: servicesEnv.PR_SENTINEL_DOCS_URL } : {}),
    });
    await writeReport(args, result, scope, io, env, cwd, say, servicesEnv.PR_SENTINEL_DOCS_URL);
    return result.verdict.conclusion === "fail" ? EXIT_FAIL : EXIT_PASS;
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
