/**
 * Command-line parsing with node:util parseArgs. Returns what to do, or a `UsageError` whose
 * message is the one line the CLI prints before exiting 2.
 */
import { parseArgs } from "node:util";
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from "../reporters/formats.js";
import { SEVERITIES, type Severity } from "../core/types.js";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface ScanArgs {
  readonly base?: string;
  readonly head?: string;
  readonly staged: boolean;
  /** `--all`: every file tracked at the head, diffed against the empty tree. */
  readonly all: boolean;
  readonly format: ReportFormat;
  readonly output?: string;
  readonly config?: string;
  readonly failOn?: Severity | "never";
  readonly offline: boolean;
  /** `--no-color`: never color the text report, whatever the terminal. */
  readonly noColor: boolean;
  /** `--verbose`: the text report adds each finding's risk and help link, and every check's outcome. */
  readonly verbose: boolean;
  /** `scan PATH…`: only changed files at or below these paths (or matching these globs). */
  readonly paths: readonly string[];
  /** `--history`: every commit reachable from the head (or since `since`), one by one, secrets only. */
  readonly history: boolean;
  /** `--since REF` (with `--history`): only the commits after REF. */
  readonly since?: string;
  /** Also scan each commit of a range of more than one commit for secrets; `--no-commits` turns it off. */
  readonly commits: boolean;
  /** `--max-commits N`: most commits scanned one by one (default 250 for a range, no cap for --history). */
  readonly maxCommits?: number;
}

export type HelpTopic = "main" | "scan" | "baseline";

export type Command =
  | { readonly kind: "help"; readonly topic: HelpTopic }
  | { readonly kind: "version" }
  | { readonly kind: "scan"; readonly args: ScanArgs }
  /** `baseline --output FILE`: the scan's findings written as a baseline file; `output` is that file. */
  | { readonly kind: "baseline"; readonly args: ScanArgs & { readonly output: string } };

const FAIL_ON_VALUES: readonly string[] = [...SEVERITIES, "never"];

export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === "scan") return parseScan(rest);
  if (first === "baseline") return parseBaseline(rest);
  const { values, positionals } = parseStrict(argv, {
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "v" },
  });
  if (values.help) return { kind: "help", topic: "main" };
  if (values.version) return { kind: "version" };
  if (positionals.length > 0) throw new UsageError(`unknown command ${JSON.stringify(positionals[0])}; the commands are scan, baseline, audit and tokens`);
  throw new UsageError("missing command; try: pr-sentinel scan");
}

/** What is scanned: shared by `scan` and `baseline`. */
const RANGE_OPTIONS = {
  base: { type: "string" },
  head: { type: "string" },
  staged: { type: "boolean" },
  all: { type: "boolean" },
  history: { type: "boolean" },
  since: { type: "string" },
  // Spelled out rather than parseArgs' `allowNegative`, which Node 20 before 20.16 lacks.
  "no-commits": { type: "boolean" },
  "max-commits": { type: "string" },
  output: { type: "string", short: "o" },
  config: { type: "string" },
  offline: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function parseScan(argv: readonly string[]): Command {
  const { values, positionals } = parseStrict(argv, {
    ...RANGE_OPTIONS,
    format: { type: "string", short: "f" },
    "fail-on": { type: "string" },
    "no-color": { type: "boolean" },
    verbose: { type: "boolean" },
  });
  if (values.help) return { kind: "help", topic: "scan" };

  const format = values.format ?? "text";
  if (!isReportFormat(format)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  }
  const failOn = values["fail-on"];
  if (failOn !== undefined && !FAIL_ON_VALUES.includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(", ")}, got ${JSON.stringify(failOn)}`);
  }
  return {
    kind: "scan",
    args: {
      ...rangeArgs(values, positionals),
      format,
      failOn: failOn as Severity | "never" | undefined,
      noColor: values["no-color"] ?? false,
      verbose: values.verbose ?? false,
    },
  };
}

/**
 * `baseline` takes what `scan` takes to say what is scanned; without any of --base, --staged or
 * --history it covers every tracked file (--all), since a baseline is about what the repository
 * already holds. The file's format follows its name (`.json`, else YAML): no --format.
 */
function parseBaseline(argv: readonly string[]): Command {
  const { values, positionals } = parseStrict(argv, RANGE_OPTIONS);
  if (values.help) return { kind: "help", topic: "baseline" };
  if (values.output === undefined) throw new UsageError("baseline needs --output FILE: where to write the baseline (.yml, or .json)");
  const all = values.all ?? (values.base === undefined && !values.staged && !values.history);
  const args = rangeArgs({ ...values, all }, positionals);
  return { kind: "baseline", args: { ...args, output: values.output!, format: "text", noColor: true, verbose: false } };
}

interface RangeValues {
  base?: string;
  head?: string;
  staged?: boolean;
  all?: boolean;
  history?: boolean;
  since?: string;
  "no-commits"?: boolean;
  "max-commits"?: string;
  output?: string;
  config?: string;
  offline?: boolean;
}

function rangeArgs(values: RangeValues, positionals: readonly string[]): Omit<ScanArgs, "format" | "failOn" | "noColor" | "verbose"> {
  // `scan -- -odd-name` reaches here as a positional too: parseArgs ends options at `--`.
  if (positionals.some((p) => p === "")) throw new UsageError("a PATH argument is empty");
  for (const flag of ["base", "head", "output", "config", "since"] as const) {
    if (values[flag] === "") throw new UsageError(`--${flag} needs a value`);
  }
  if (values.staged && values.head !== undefined) {
    throw new UsageError("--head and --staged cannot be used together: --staged scans the index");
  }
  if (values.all && (values.base !== undefined || values.staged)) {
    throw new UsageError("--all scans every file tracked at --head (default HEAD); it cannot be combined with --base or --staged");
  }
  if (values.history && (values.base !== undefined || values.staged || values.all)) {
    throw new UsageError("--history scans every commit reachable from --head (default HEAD); it cannot be combined with --base, --staged or --all (use --since REF to start later)");
  }
  if (values.since !== undefined && !values.history) throw new UsageError("--since REF goes with --history: the commits after REF");
  if (values.history && values["no-commits"]) throw new UsageError("--no-commits cannot be combined with --history, which scans only commits");
  return {
    base: values.base,
    head: values.head,
    staged: values.staged ?? false,
    all: values.all ?? false,
    history: values.history ?? false,
    since: values.since,
    commits: !(values["no-commits"] ?? false),
    maxCommits: maxCommits(values["max-commits"]),
    output: values.output,
    config: values.config,
    offline: values.offline ?? false,
    paths: positionals,
  };
}

function maxCommits(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,7}$/.test(value) || Number(value) < 1) {
    throw new UsageError(`--max-commits must be a whole number from 1 to 9999999, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

function parseStrict<T extends OptionSpec>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
}

/** Node's messages are long and suggest `--` tricks; keep the first sentence. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const sentence = (message.split(/\.\s/)[0] ?? message).replace(/\.$/, "").replace(/'(-[^']*)'/g, "$1");
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}
