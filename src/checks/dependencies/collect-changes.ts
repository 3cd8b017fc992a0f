/**
 * Reads every manifest and lockfile the change touches, at base and head, and works out its delta.
 * A file that cannot be read or parsed is named in `incomplete` with its line, and the other files
 * are still judged: one broken lockfile does not hide a vulnerable package in another.
 */
import { ContentError, type ChangedFile, type CheckContext } from "../../core/types.js";
import { dependencyDelta, type DependencyChange } from "./delta.js";
import { formatFor } from "./formats.js";
import { DependencyParseError, type Dependency, type DependencyFormat, type ParsedDependencyFile, type ParseOptions } from "./model.js";
import type { DependenciesOptions } from "./options.js";
import { folderOf } from "./parsers/file-name.js";
import { packageJsonFormat } from "./parsers/parse-package-json.js";

/** Where a finding about a dependency goes. */
export interface Place {
  readonly path: string;
  readonly line: number;
  readonly dependency: Dependency;
  readonly format: DependencyFormat;
  /** The text of a head line of this file, for suggestions. */
  readonly lineText?: (line: number) => string | undefined;
}

export interface FileDelta {
  readonly file: ChangedFile;
  readonly format: DependencyFormat;
  readonly head: ParsedDependencyFile;
  readonly changes: readonly DependencyChange[];
  readonly lineText: (line: number) => string | undefined;
}

export interface CollectedChanges {
  readonly deltas: FileDelta[];
  readonly incomplete: string[];
  readonly warnings: string[];
  /** npm package names the changed files had at base: a name not among them is new to the project. */
  readonly npmNamesAtBase: Set<string>;
}

export async function collectChanges(ctx: CheckContext<DependenciesOptions>): Promise<CollectedChanges> {
  const result: CollectedChanges = { deltas: [], incomplete: [], warnings: [], npmNamesAtBase: new Set() };
  const targets = dependencyFiles(ctx.files);
  for (const [file, format] of targets) {
    ctx.signal.throwIfAborted();
    const delta = await fileDelta(ctx, file, format, result);
    if (delta) result.deltas.push(delta);
    // Parsing is synchronous: let timers, aborts and other checks run between files.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await addIncludedFiles(ctx, targets, result);
  return result;
}

function dependencyFiles(files: readonly ChangedFile[]): Map<ChangedFile, DependencyFormat> {
  const targets = new Map<ChangedFile, DependencyFormat>();
  for (const file of files) {
    if (file.status === "removed" || file.binary) continue;
    const format = formatFor(file.path);
    if (format) targets.set(file, format);
  }
  return targets;
}

/**
 * `requirements.txt` may pull in files under names no format matches (`-r base.in`): when the change
 * touches one of those, it is judged as the format of the file that includes it.
 */
async function addIncludedFiles(ctx: CheckContext<DependenciesOptions>, targets: Map<ChangedFile, DependencyFormat>, result: CollectedChanges): Promise<void> {
  const byPath = new Map(ctx.files.map((f) => [f.path, f]));
  const queue = result.deltas.flatMap((d) => (d.head.includes ?? []).map((inc) => ({ path: inc.path, format: d.format })));
  for (let i = 0; i < queue.length && i < 200; i++) {
    const { path, format } = queue[i]!;
    const file = byPath.get(path);
    if (!file || targets.has(file) || file.status === "removed" || file.binary) continue;
    targets.set(file, format);
    const delta = await fileDelta(ctx, file, format, result);
    if (!delta) continue;
    result.deltas.push(delta);
    queue.push(...(delta.head.includes ?? []).map((inc) => ({ path: inc.path, format })));
  }
}

async function fileDelta(ctx: CheckContext<DependenciesOptions>, file: ChangedFile, format: DependencyFormat, result: CollectedChanges): Promise<FileDelta | undefined> {
  const headText = await readOrSay(() => file.readHead(), file.path, "head", result.incomplete);
  if (headText === undefined || headText === null) return undefined;
  const head = parseOrSay(format, headText, file.path, "", result.incomplete);
  if (!head) return undefined;
  let base: ParsedDependencyFile | undefined = { ecosystem: format.ecosystem, kind: format.kind, dependencies: [] };
  if (file.status !== "added") {
    const baseText = await readOrSay(() => file.readBase(), file.previousPath ?? file.path, "base", result.incomplete);
    if (baseText === undefined) return undefined;
    // A file that did not exist at base (or was not this format there) has no dependencies to subtract.
    if (baseText !== null) {
      base = parseOrSay(format, baseText, file.previousPath ?? file.path, " at the base commit, so what the change did to it is unknown", result.incomplete, {
        compareOnly: true,
      });
      if (!base) return undefined;
    }
  }
  for (const warning of head.warnings ?? []) result.warnings.push(`${file.path}: ${warning}`);
  if (format.ecosystem === "npm") for (const d of base.dependencies) result.npmNamesAtBase.add(d.name);
  const headDependencies = await withDirectMarks(ctx, file.path, format, head);
  const changes = dependencyDelta(base.dependencies, headDependencies);
  return { file, format, head, changes, lineText: lineReader(format, headText) };
}

async function readOrSay(read: () => Promise<string | null>, path: string, side: string, incomplete: string[]): Promise<string | null | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ContentError && error.reason === "binary") return undefined;
    incomplete.push(`${path}: could not read the file at ${side} (${(error as Error).message}); its dependencies were not judged`);
    return undefined;
  }
}

function parseOrSay(
  format: DependencyFormat,
  text: string,
  path: string,
  when: string,
  incomplete: string[],
  options?: ParseOptions,
): ParsedDependencyFile | undefined {
  try {
    return format.parse(text, path, options);
  } catch (error) {
    const line = error instanceof DependencyParseError && error.line !== undefined ? ` line ${error.line}` : "";
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : String(error);
    incomplete.push(`${path}${line}: not a valid ${format.files} file${when} (${message}); its dependencies were not judged`);
    return undefined;
  }
}

/**
 * `yarn.lock` does not say which packages the project asked for; the `package.json` beside it
 * does, read at head whether or not the change touched it.
 */
async function withDirectMarks(ctx: CheckContext<DependenciesOptions>, path: string, format: DependencyFormat, head: ParsedDependencyFile): Promise<readonly Dependency[]> {
  if (format.ecosystem !== "npm" || format.kind !== "lockfile" || head.dependencies.some((d) => d.direct)) return head.dependencies;
  const folder = folderOf(path);
  const manifestPath = folder ? `${folder}/package.json` : "package.json";
  let names: Set<string>;
  try {
    const text = await ctx.readFileAtHead(manifestPath);
    if (text === null) return head.dependencies;
    names = new Set(packageJsonFormat.parse(text, manifestPath).dependencies.map((d) => d.name));
  } catch {
    // Context only: without it the lockfile's findings just cannot say which packages are direct.
    return head.dependencies;
  }
  return head.dependencies.map((d) => (names.has(d.name) && !d.direct ? { ...d, direct: true } : d));
}

/** Manifests are small and their lines feed suggestions; lockfile lines are never needed. */
function lineReader(format: DependencyFormat, text: string): (line: number) => string | undefined {
  if (format.kind !== "manifest") return () => undefined;
  let lines: string[] | undefined;
  return (line) => (lines ??= text.split(/\r?\n/))[line - 1];
}
