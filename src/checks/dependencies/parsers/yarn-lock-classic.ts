/**
 * Yarn classic (v1) `yarn.lock`, read with `@yarnpkg/lockfile` (Yarn 1's own parser).
 *
 * - Each unindented header lists the patterns (`lodash@^4.17.15, lodash@^4.17.20:`) that resolved to
 *   one entry: one dependency per entry, on the header's line. `x@npm:lodash@4.17.15` is lodash
 *   installed under the name x.
 * - Registry entries carry `resolved` and `integrity`; an entry without `integrity` gets `""` (the
 *   integrity rule decides). Git, tarball-URL and `file:` entries get a `source`, taken from the
 *   pattern (what package.json asked for) or, for a registry-looking pattern, a git `resolved`.
 *   Git and `file:` entries have nothing to hold an integrity against and leave it undefined.
 * - `link:` entries are folders of the project, not packages: skipped.
 * - The lockfile does not say which entries package.json declares: `direct` is false throughout
 *   and the check marks direct ones from package.json.
 *
 * Two inputs make the library loop forever: a comment on the last line without a newline, and an
 * unterminated string at the end of the file. The text is fed to it with a newline and a sentinel
 * entry appended, which closes both (the sentinel is removed from the result).
 */
import { lazyRequire } from "../../../core/lazy-require.js";
import { DependencyParseError, type Dependency, type DependencySource, type ParsedDependencyFile } from "../model.js";
import { classifyNpmSpec, type NpmSpec } from "./npm-spec.js";
import { aliasName, entryHeaders, splitDescriptor, splitDescriptors } from "./yarn-lock-keys.js";

// The package is CommonJS with an `__esModule` flag and a `default` export of its own, so what a
// default import yields depends on the loader (Node gives module.exports, Vite gives `default`).
const lockfile = lazyRequire<typeof import("@yarnpkg/lockfile")>("@yarnpkg/lockfile");

const SENTINEL = "\u0000pr-sentinel-end-of-file";
const SENTINEL_ENTRY = `\n${JSON.stringify(SENTINEL)}:\n`;
const LIBRARY_POSITION = / (\d+):(\d+) in lockfile$/;
const GIT_RESOLVED = /^(?:git\+[a-z]+:|git:|ssh:|https:\/\/codeload\.github\.com\/)/i;
const LOCAL_FOLDER = /^(?:link|portal|workspace):/i;
const PLAIN_RANGE = /^[\w.^~<>=|* -]*$/;

interface ClassicEntry {
  readonly patterns: string[];
  readonly value: unknown;
}

export function parseYarnClassicLock(source: string, lines: readonly string[]): ParsedDependencyFile {
  const object = parseWithLibrary(source, lines);
  const lineOfPattern = new Map<string, number>();
  for (const header of entryHeaders(lines)) {
    for (const pattern of splitDescriptors(header.raw)) if (!lineOfPattern.has(pattern)) lineOfPattern.set(pattern, header.line);
  }
  const dependencies: Dependency[] = [];
  for (const entry of groupEntries(object)) {
    const line = entryLine(entry, lineOfPattern, lines);
    const dependency = toDependency(entry, line);
    if (dependency) dependencies.push(dependency);
  }
  dependencies.sort((a, b) => a.line - b.line);
  return { ecosystem: "npm", kind: "lockfile", dependencies };
}

function parseWithLibrary(source: string, lines: readonly string[]): Record<string, unknown> {
  let result: { type: string; object: Record<string, unknown> };
  try {
    result = lockfile().parse(source + SENTINEL_ENTRY);
  } catch (error) {
    throw libraryError(error, source, lines);
  }
  if (result.type !== "success") {
    // The library finds markers anywhere in the text, not only at line starts as `rejectConflictMarkers` does.
    const index = lines.findIndex((text) => text.includes("<<<<<<<"));
    throw new DependencyParseError(`merge-conflict markers${index === -1 ? "" : ` at line ${index + 1}`}: resolve the conflict and regenerate the lockfile`, index === -1 ? undefined : index + 1);
  }
  const object = { ...result.object };
  delete object[SENTINEL];
  return object;
}

function libraryError(error: unknown, source: string, lines: readonly string[]): DependencyParseError {
  const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
  if (message === "Invalid number of spaces") {
    // The tokenizer counts the spaces that open every line, blank ones included.
    const index = lines.findIndex((text) => /^ */.exec(text)![0].length % 2 === 1);
    const line = index === -1 ? undefined : index + 1;
    return new DependencyParseError(`invalid yarn.lock${line ? ` at line ${line}` : ""}: indentation must be a multiple of two spaces`, line);
  }
  const position = LIBRARY_POSITION.exec(message);
  if (!position) return new DependencyParseError(`invalid yarn.lock: ${message}`);
  // Past the end of the text means the problem is the text's end (the sentinel closed an open string).
  const line = Math.min(realLine(source, Number(position[1])), lines.length);
  const said = message.slice(0, position.index);
  const what = said.startsWith("Unknown token") ? "text yarn.lock does not allow" : said === "Invalid value type" ? "a value that is not a string, number or boolean (an unterminated string?)" : said;
  return new DependencyParseError(`invalid yarn.lock at line ${line}, column ${Number(position[2]) + 1}: ${what}`, line);
}

/**
 * The library's tokenizer takes `\n\n` for one line break (its `\r\n` test looks only at the second
 * character), so its line numbers drift by one per blank line. Replay its counting to find the real line.
 */
function realLine(source: string, libraryLine: number): number {
  let counted = 1;
  let real = 1;
  for (let i = 0; i < source.length && counted < libraryLine; i++) {
    const char = source[i];
    if (char !== "\n" && char !== "\r") continue;
    counted++;
    real++;
    if (source[i + 1] === "\n") {
      // The library swallows the next \n too; it is a line of its own unless it ends a \r\n.
      if (char === "\n") real++;
      i++;
    }
  }
  return real;
}

/** The library sets every pattern of a header to the same object: one entry per object. */
function groupEntries(object: Record<string, unknown>): ClassicEntry[] {
  const byValue = new Map<unknown, ClassicEntry>();
  const entries: ClassicEntry[] = [];
  for (const [pattern, value] of Object.entries(object)) {
    const known = typeof value === "object" && value !== null ? byValue.get(value) : undefined;
    if (known) {
      known.patterns.push(pattern);
      continue;
    }
    const entry = { patterns: [pattern], value };
    if (typeof value === "object" && value !== null) byValue.set(value, entry);
    entries.push(entry);
  }
  return entries;
}

function entryLine(entry: ClassicEntry, lineOfPattern: ReadonlyMap<string, number>, lines: readonly string[]): number {
  const known = entry.patterns.map((p) => lineOfPattern.get(p)).filter((line) => line !== undefined);
  if (known.length > 0) return Math.min(...known);
  // Not a `key:` header (a top-level `key value` line, which no yarn writes): find the line that names it.
  const pattern = entry.patterns[0]!;
  const index = lines.findIndex((text) => text.startsWith(pattern) || text.startsWith(JSON.stringify(pattern)));
  return index === -1 ? 1 : index + 1;
}

function toDependency(entry: ClassicEntry, line: number): Dependency | undefined {
  const label = JSON.stringify(entry.patterns[0]!.slice(0, 100));
  if (typeof entry.value !== "object" || entry.value === null) {
    throw new DependencyParseError(`entry ${label} at line ${line} is not a package block`, line);
  }
  const fields = entry.value as Record<string, unknown>;
  const descriptors = entry.patterns.map(splitDescriptor);
  if (descriptors.some((d) => LOCAL_FOLDER.test(d.range))) return undefined;

  const version = typeof fields.version === "number" ? String(fields.version) : fields.version;
  if (typeof version !== "string" || version === "") throw new DependencyParseError(`entry ${label} at line ${line} has no version`, line);
  const resolved = optionalString(fields, "resolved", label, line);
  const integrity = optionalString(fields, "integrity", label, line);

  const specs = descriptors.map((d) => specOf(d.range));
  const installed = descriptors.map((d, i) => {
    const spec = specs[i]!;
    return spec.kind === "alias" ? spec.name : d.name;
  });
  const name = installed[0]!;
  const declaredName = aliasName(descriptors.map((d) => d.name), name);
  const source = sourceOf(descriptors.map((d, i) => ({ range: d.range, kind: specs[i]!.kind })), resolved);
  const expectsIntegrity = !source || source.kind === "url";
  return {
    ecosystem: "npm",
    name,
    version,
    line,
    direct: false,
    ...(declaredName ? { declaredName } : {}),
    ...(source ? { source } : {}),
    ...(resolved !== undefined ? { resolved } : {}),
    ...(integrity !== undefined ? { integrity } : expectsIntegrity ? { integrity: "" } : {}),
  };
}

/**
 * Plain semver ranges and tags (nearly every pattern) are registry packages; only the rest needs
 * classifying, which tries semver parses that throw: 20,000 entries took a second through it.
 */
function specOf(range: string): NpmSpec {
  return PLAIN_RANGE.test(range) ? { kind: "range", range } : classifyNpmSpec(range);
}

function sourceOf(patterns: readonly { range: string; kind: NpmSpec["kind"] }[], resolved: string | undefined): DependencySource | undefined {
  for (const { range, kind } of patterns) {
    // A git `resolved` pins the commit; a tarball's adds only yarn's `#sha1` to what package.json says.
    if (kind === "git" || kind === "url" || kind === "file") return { kind, spec: kind === "git" ? (resolved ?? range) : range };
  }
  // `resolutions` can point a registry range at a git commit: what is installed is what counts.
  if (resolved !== undefined && GIT_RESOLVED.test(resolved)) return { kind: "git", spec: resolved };
  return undefined;
}

function optionalString(fields: Record<string, unknown>, key: string, label: string, line: number): string | undefined {
  const value = fields[key];
  if (value === undefined || typeof value === "string") return value;
  throw new DependencyParseError(`entry ${label} at line ${line}: "${key}" is not a string`, line);
}
