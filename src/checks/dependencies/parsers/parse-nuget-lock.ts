/**
 * `packages.lock.json` (NuGet's `RestorePackagesWithLockFile`): JSON keyed by target framework,
 * then by package id. Format facts:
 *
 * - `type` is `Direct` (a PackageReference of the project), `Transitive`, `CentralTransitive`
 *   (pinned by Central Package Management) or `Project` (another project of the solution: not a
 *   package, so not a dependency).
 * - Every framework (and every `framework/runtime-id` pair) repeats the packages it uses, so one
 *   package at one version is one dependency, on the line of its first entry, direct if any
 *   framework references it directly.
 * - Package ids and versions are case-insensitive in NuGet: deduplication ignores case, the name
 *   stays as written for people to read.
 * - `contentHash` is the package's SHA-512; NuGet writes one for every package, so a missing one
 *   is recorded as `""` (an entry without integrity).
 */
import { baseName } from "./file-name.js";
import { isObject } from "./json-shape.js";
import { parseJsonWithLines } from "./json-with-lines.js";
import { DependencyParseError, type Dependency, type DependencyFormat, type ParsedDependencyFile } from "../model.js";

const PACKAGE_TYPES = new Set(["Direct", "Transitive", "CentralTransitive"]);

export const nugetLockFormat: DependencyFormat = {
  id: "nuget-lock",
  files: "packages.lock.json",
  ecosystem: "NuGet",
  kind: "lockfile",
  matches: (path) => baseName(path) === "packages.lock.json",
  parse: parseNugetLock,
};

interface Entry {
  readonly name: string;
  readonly version: string;
  readonly line: number;
  readonly framework: string;
  direct: boolean;
  requested?: string;
  readonly contentHash: string;
}

function parseNugetLock(text: string): ParsedDependencyFile {
  const json = parseJsonWithLines(text, 3);
  const root = json.value;
  if (!isObject(root)) throw new DependencyParseError("packages.lock.json is not a JSON object", 1);
  const warnings: string[] = [];
  if (root.version !== 1 && root.version !== 2) warnings.push(`lock file version ${JSON.stringify(root.version)} is not one this parser knows (1 or 2); read as version 2`);
  const frameworks = root.dependencies;
  if (!isObject(frameworks)) {
    const line = json.lineOf(["dependencies"]) ?? 1;
    throw new DependencyParseError(`"dependencies" at line ${line} must be an object keyed by target framework`, line);
  }
  const entries = new Map<string, Entry>();
  for (const [framework, packages] of Object.entries(frameworks)) {
    if (!isObject(packages)) {
      const line = json.lineOf(["dependencies", framework]) ?? 1;
      throw new DependencyParseError(`target framework "${framework}" at line ${line} must be an object of packages`, line);
    }
    for (const [name, value] of Object.entries(packages)) {
      const line = json.lineOf(["dependencies", framework, name]) ?? 1;
      const entry = toEntry(name, value, framework, line);
      if (!entry) continue;
      const key = `${name.toLowerCase()}\u0000${entry.version.toLowerCase()}`;
      const known = entries.get(key);
      if (!known) entries.set(key, entry);
      else {
        known.direct ||= entry.direct;
        known.requested ??= entry.requested;
      }
    }
  }
  const dependencies = [...entries.values()].map(toDependency);
  return { ecosystem: "NuGet", kind: "lockfile", dependencies, ...(warnings.length > 0 ? { warnings } : {}) };
}

function toEntry(name: string, value: unknown, framework: string, line: number): Entry | undefined {
  if (!isObject(value) || typeof value.type !== "string") {
    throw new DependencyParseError(`package "${name}" at line ${line} needs a "type"`, line);
  }
  if (value.type === "Project") return undefined;
  if (!PACKAGE_TYPES.has(value.type)) throw new DependencyParseError(`package "${name}" at line ${line} has an unknown type "${value.type}"`, line);
  if (typeof value.resolved !== "string" || value.resolved === "") {
    throw new DependencyParseError(`package "${name}" at line ${line} has no "resolved" version`, line);
  }
  return {
    name,
    version: value.resolved,
    line,
    framework,
    direct: value.type === "Direct",
    ...(value.type === "Direct" && typeof value.requested === "string" ? { requested: value.requested } : {}),
    contentHash: typeof value.contentHash === "string" ? value.contentHash : "",
  };
}

function toDependency(entry: Entry): Dependency {
  return {
    ecosystem: "NuGet",
    name: entry.name,
    version: entry.version,
    line: entry.line,
    direct: entry.direct,
    ...(entry.requested !== undefined ? { requirement: entry.requested } : {}),
    integrity: entry.contentHash,
    scope: entry.framework,
  };
}
