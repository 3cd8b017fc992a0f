/**
 * The baseline file: findings accepted as they were on the day it was written (`pr-sentinel
 * baseline`), so a team adopting pr-sentinel on an existing repository is not blocked by what is
 * already there, while every new finding still fails. Config points at it (`baseline: <path>`).
 *
 * It holds fingerprints, rule ids and paths only: no secret, no evidence, so committing it leaks
 * nothing. It is read from the same revision as the config (the base of a change), so a branch
 * cannot baseline its own new findings. Hostile input like any repository file: at most 5 MB and
 * 100,000 entries, and every problem names the file and the line.
 *
 * YAML (one flow mapping per line: short diffs, and a line per entry to point at), or JSON when
 * the file name ends in `.json`. JSON is read by the same YAML parser (JSON is YAML), which gives
 * its lines too.
 */
import { z } from "zod";
import type { Baseline } from "../suppressions.js";
import type { Finding } from "../types.js";
import { lineOfPath, parseYaml, YamlError, type ParsedYaml } from "../yaml.js";
import { ConfigError, formatPath } from "./load-config.js";

export const MAX_BASELINE_BYTES = 5 * 1024 * 1024;
export const MAX_BASELINE_ENTRIES = 100_000;
export const BASELINE_VERSION = 1;
/**
 * Above this, a YAML baseline must keep the layout `pr-sentinel baseline` writes (one entry per
 * line), which is read line by line: the general YAML parser took 13 s and 450 MB for 5 MB.
 */
export const MAX_FREE_FORM_BASELINE_BYTES = 256 * 1024;
/** Problems listed before "and N more": a broken generated file would otherwise print thousands. */
const MAX_PROBLEMS = 20;

const baselineEntrySchema = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, "expected the finding's full fingerprint: 64 lowercase hex characters"),
  rule: z.string().min(1).max(200),
  path: z.string().min(1).max(4096),
  reason: z.string().trim().min(1, "say why the finding is accepted (the generated files say `baseline`)"),
  date: z.iso.date("expected the day it was accepted as YYYY-MM-DD"),
});

const baselineFileSchema = z.strictObject({
  version: z.literal(BASELINE_VERSION, `expected version: ${BASELINE_VERSION}`),
  about: z.string().optional(),
  entries: z.array(z.unknown()).max(MAX_BASELINE_ENTRIES, `at most ${MAX_BASELINE_ENTRIES} entries`),
});

export type BaselineEntry = z.infer<typeof baselineEntrySchema>;

/** Where each part of the file is, for messages: `lineOf([])` is the top, `lineOf(["entries", 3])` an entry. */
type LineOf = (path: readonly PropertyKey[]) => number | undefined;

/**
 * Reads a baseline file: JSON when `fileName` ends in `.json`, else YAML. Throws `ConfigError`
 * naming `source` and, per problem, the line.
 */
export function baselineFromText(text: string, source: string, fileName: string = source): Baseline {
  if (Buffer.byteLength(text) > MAX_BASELINE_BYTES) {
    throw new ConfigError(source, [`the baseline file is larger than ${MAX_BASELINE_BYTES / 1024 / 1024} MB; write it for a smaller scope, or fix the findings it holds`]);
  }
  const { value, lineOf } = fileName.toLowerCase().endsWith(".json") ? readJson(text, source) : readYaml(text, source);
  const problems: string[] = [];
  let more = 0;
  const report = (path: readonly PropertyKey[], message: string) => {
    if (problems.length >= MAX_PROBLEMS) {
      more++;
      return;
    }
    const line = lineOf(path);
    const key = formatPath(path);
    problems.push(`${key === "" ? "(top level)" : `\`${key}\``}${line ? ` (line ${line})` : ""}: ${message}`);
  };
  const file = baselineFileSchema.safeParse(value);
  if (!file.success) {
    for (const issue of file.error.issues) report(issue.path, issue.message);
  } else {
    const fingerprints = new Set<string>();
    file.data.entries.forEach((raw, index) => {
      const entry = baselineEntrySchema.safeParse(raw);
      if (entry.success) fingerprints.add(entry.data.fingerprint);
      else for (const issue of entry.error.issues) report(["entries", index, ...issue.path], issue.message);
    });
    if (problems.length === 0) return { source, fingerprints };
  }
  if (more > 0) problems.push(`and ${more} more problems`);
  throw new ConfigError(source, problems);
}

function readYaml(text: string, source: string): { value: unknown; lineOf: LineOf } {
  const generated = readGeneratedYaml(text);
  if (generated.value !== undefined) return { value: generated.value, lineOf: generated.lineOf };
  if (Buffer.byteLength(text) > MAX_FREE_FORM_BASELINE_BYTES) {
    throw new ConfigError(source, [
      `line ${generated.badLine}: not in the layout pr-sentinel baseline writes (one \`- { fingerprint: …, rule: …, path: …, reason: …, date: … }\` per line), which a baseline over ${MAX_FREE_FORM_BASELINE_BYTES / 1024} KiB must keep; write it again with pr-sentinel baseline`,
    ]);
  }
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(source, error instanceof YamlError ? error.problems.slice(0, MAX_PROBLEMS) : [`invalid YAML: ${(error as Error).message}`]);
  }
  return { value: parsed.value, lineOf: (path) => lineOfPath(parsed, path) };
}

const QUOTED = String.raw`"(?:[^"\\\n]|\\.){0,5000}"`;
const PLAIN = String.raw`[^\s,{}"'][^,{}]{0,4999}?`;
/** One entry as the writer puts it; plain or double-quoted scalars, in the writer's key order. */
const ENTRY_LINE = new RegExp(
  String.raw`^ *- \{ *fingerprint: (${QUOTED}|${PLAIN}), rule: (${QUOTED}|${PLAIN}), path: (${QUOTED}|${PLAIN}), reason: (${QUOTED}|${PLAIN}), date: (${QUOTED}|${PLAIN}) *\} *$`,
);

/**
 * The writer's own layout, line by line: comments, `version: 1`, `entries:` (or `entries: []`), then
 * one flow mapping per line. Any other line ends the fast path (`badLine`); the general parser,
 * for small files, reads whatever valid YAML a person wrote instead.
 */
function readGeneratedYaml(text: string): { value?: unknown; lineOf: LineOf; badLine?: number } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const entries: unknown[] = [];
  const entryLines: number[] = [];
  let version: unknown;
  let versionLine: number | undefined;
  let entriesLine: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const bad = { lineOf: () => undefined, badLine: i + 1 };
    if (line.trim() === "" || /^ *#/.test(line)) continue;
    if (entriesLine === undefined) {
      const top = /^version: *([0-9]{1,6}) *$/.exec(line);
      if (top && versionLine === undefined) {
        version = Number(top[1]);
        versionLine = i + 1;
      } else if (/^entries: *(\[\])? *$/.test(line)) entriesLine = i + 1;
      else return bad;
      continue;
    }
    const match = ENTRY_LINE.exec(line);
    if (!match) return bad;
    const scalars = match.slice(1).map(scalar);
    if (scalars.some((v) => v === undefined)) return bad;
    const [fingerprint, rule, path, reason, date] = scalars as string[];
    entries.push({ fingerprint, rule, path, reason, date });
    entryLines.push(i + 1);
  }
  const value = { ...(versionLine !== undefined ? { version } : {}), ...(entriesLine !== undefined ? { entries } : {}) };
  const lineOf: LineOf = (path) => {
    if (path[0] === "entries" && typeof path[1] === "number") return entryLines[path[1]] ?? entriesLine;
    if (path[0] === "entries") return entriesLine;
    if (path[0] === "version") return versionLine;
    return 1;
  };
  return { value, lineOf };
}

/** A double-quoted scalar read as JSON (the writer's escapes); a plain one as is. `undefined`: YAML-only escapes. */
function scalar(raw: string): string | undefined {
  if (!raw.startsWith('"')) return raw.trimEnd();
  try {
    return JSON.parse(raw) as string;
  } catch {
    return undefined;
  }
}

function readJson(text: string, source: string): { value: unknown; lineOf: LineOf } {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigError(source, [`invalid JSON${jsonErrorLine(text, error as Error)}: ${(error as Error).message.split("\n")[0]!.slice(0, 200)}`]);
  }
  const starts = jsonEntryLines(text);
  return { value, lineOf: (path) => (path[0] === "entries" && typeof path[1] === "number" ? starts[path[1]] : 1) };
}

/**
 * Where JSON.parse gave up: V8 says the position for some errors only, so a small file is read again
 * by the YAML parser (JSON is YAML), which names the line of any syntax error.
 */
function jsonErrorLine(text: string, error: Error): string {
  const at = /at position (\d+)/.exec(error.message);
  if (at) return ` at line ${lineAt(text, Number(at[1]))}`;
  if (Buffer.byteLength(text) > MAX_FREE_FORM_BASELINE_BYTES) return "";
  try {
    parseYaml(text);
  } catch (yamlError) {
    if (yamlError instanceof YamlError && yamlError.line !== undefined) return ` at line ${yamlError.line}`;
  }
  return "";
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line each value of the top-level object's array starts on (`entries`, the only array a valid file has): one pass, strings skipped. */
function jsonEntryLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let arrayDepth = -1;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    const blank = c === 32 || c === 9 || c === 10 || c === 13;
    if (expectValue && depth === arrayDepth && !blank && c !== 93 /* ] */) {
      lines.push(line);
      expectValue = false;
    }
    if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (c === 91 && depth === 1 && arrayDepth === -1) {
        arrayDepth = 2;
        expectValue = true;
      }
      depth++;
    } else if (c === 125 /* } */ || c === 93) depth--;
    else if (c === 44 /* , */ && depth === arrayDepth) expectValue = true;
  }
  return lines;
}

export interface BaselineFileOptions {
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly format: "yaml" | "json";
  /** What was scanned, for the header ("--all at HEAD 1a2b3c4"). */
  readonly scope: string;
}

/** Entries in report order, one per finding (the same fingerprint twice is written once). */
export function baselineEntries(findings: readonly Finding[], date: string): BaselineEntry[] {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    entries.push({ fingerprint: f.fingerprint, rule: f.ruleId, path: f.path, reason: "baseline", date });
  }
  return entries;
}

export function renderBaselineFile(entries: readonly BaselineEntry[], options: BaselineFileOptions): string {
  if (options.format === "json") {
    const lines = entries.map((e) => `    ${JSON.stringify(e)}`);
    return `{\n  "version": ${BASELINE_VERSION},\n  "about": ${JSON.stringify(aboutText(options, entries.length))},\n  "entries": [\n${lines.join(",\n")}${lines.length > 0 ? "\n" : ""}  ]\n}\n`;
  }
  const header = [
    `# pr-sentinel baseline: ${entries.length} finding(s) accepted as they were on ${options.date} (${options.scope}).`,
    "# Written by `pr-sentinel baseline`. It holds fingerprints, rule ids and paths, never a secret.",
    "# To use it, commit it and name it in .github/pr-sentinel.yml:   baseline: <this file's path>",
    "# Findings listed here then no longer fail a scan (reports count them as baselined); new ones do.",
    "# It is read at the base of a change, like the config: a branch cannot baseline its own findings.",
    "# A secret listed here is still exposed: rotate it, then delete its line.",
  ];
  const body = entries.map((e) => `  - { fingerprint: ${e.fingerprint}, rule: ${yamlString(e.rule)}, path: ${yamlString(e.path)}, reason: baseline, date: ${e.date} }`);
  return `${header.join("\n")}\nversion: ${BASELINE_VERSION}\nentries:${body.length === 0 ? " []" : `\n${body.join("\n")}`}\n`;
}

function aboutText(options: BaselineFileOptions, count: number): string {
  return `pr-sentinel baseline: ${count} finding(s) accepted as they were on ${options.date} (${options.scope}). Name this file in .github/pr-sentinel.yml (baseline: <path>): these findings then no longer fail a scan, new ones do. A secret listed here is still exposed: rotate it.`;
}

/**
 * A double-quoted YAML scalar (JSON's escapes are valid YAML), so any path reads back as written;
 * characters YAML does not allow unescaped (DEL, C1 controls, BOM) are escaped too.
 */
function yamlString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
