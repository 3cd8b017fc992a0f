/**
 * Command-line parsing with node:util parseArgs. Returns what to do, or a `UsageError` whose
 * message is the one line the CLI prints before exiting 2.
 */
import { parseArgs } from "node:util";
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from "../reporters/index.js";
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
}

export type Command =
  | { readonly kind: "help"; readonly topic: "main" | "scan" }
  | { readonly kind: "version" }
  | { readonly kind: "scan"; readonly args: ScanArgs };

const FAIL_ON_VALUES: readonly string[] = [...SEVERITIES, "never"];

export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === "scan") return parseScan(rest);
  const { values, positionals } = parseStrict(argv, {
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "v" },
  });
  if (values.help) return { kind: "help", topic: "main" };
  if (values.version) return { kind: "version" };
  if (positionals.length > 0) throw new UsageError(`unknown command ${JSON.stringify(positionals[0])}; the command is scan`);
  throw new UsageError("missing command; try: pr-sentinel scan");
}

function parseScan(argv: readonly string[]): Command {
  const { values, positionals } = parseStrict(argv, {
    base: { type: "string" },
    head: { type: "string" },
    staged: { type: "boolean" },
    all: { type: "boolean" },
    format: { type: "string", short: "f" },
    output: { type: "string", short: "o" },
    config: { type: "string" },
    "fail-on": { type: "string" },
    offline: { type: "boolean" },
    // Spelled out rather than parseArgs' `allowNegative`, which Node 20 before 20.16 lacks.
    "no-color": { type: "boolean" },
    verbose: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return { kind: "help", topic: "scan" };
  // `scan -- -odd-name` reaches here as a positional too: parseArgs ends options at `--`.
  const empty = positionals.find((p) => p === "");
  if (empty !== undefined) throw new UsageError("a PATH argument is empty");

  const format = values.format ?? "text";
  if (!isReportFormat(format)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(", ")}, got ${JSON.stringify(format)}`);
  }
  const failOn = values["fail-on"];
  if (failOn !== undefined && !FAIL_ON_VALUES.includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${FAIL_ON_VALUES.join(", ")}, got ${JSON.stringify(failOn)}`);
  }
  if (values.staged && values.head !== undefined) {
    throw new UsageError("--head and --staged cannot be used together: --staged scans the index");
  }
  if (values.all && (values.base !== undefined || values.staged)) {
    throw new UsageError("--all scans every file tracked at --head (default HEAD); it cannot be combined with --base or --staged");
  }
  for (const flag of ["base", "head", "output", "config"] as const) {
    if (values[flag] === "") throw new UsageError(`--${flag} needs a value`);
  }
  return {
    kind: "scan",
    args: {
      base: values.base,
      head: values.head,
      staged: values.staged ?? false,
      all: values.all ?? false,
      format,
      output: values.output,
      config: values.config,
      failOn: failOn as Severity | "never" | undefined,
      offline: values.offline ?? false,
      noColor: values["no-color"] ?? false,
      verbose: values.verbose ?? false,
      paths: positionals,
    },
  };
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
