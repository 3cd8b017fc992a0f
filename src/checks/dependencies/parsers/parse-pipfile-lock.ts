/**
 * `Pipfile.lock` (pipenv): JSON with `_meta`, `default` and `develop` (dev), each a flat map of every
 * installed package to `{ version: "==1.2.3", hashes: [...], markers?, index? }`, or to a git
 * (`git`, `ref`), path (`path`, `editable`) or URL (`file`) entry without a version.
 *
 * The lock does not say which packages the Pipfile asked for, so `direct` is false. A package in
 * both sections is installed for production: it is one dependency, not dev. Git entries keep the
 * locked commit in the spec (`url#ref`) so that a check can tell a pinned checkout from a branch.
 */
import { DependencyParseError, type Dependency, type DependencyFormat, type DependencySource, type ParsedDependencyFile } from "../model.js";
import { baseName } from "./file-name.js";
import { isObject, type JsonObject } from "./json-shape.js";
import { parseJsonWithLines } from "./json-with-lines.js";
import { nameFields, sourceKindOfUrl } from "./pep508.js";

export const pipfileLockFormat: DependencyFormat = {
  id: "pipfile-lock",
  files: "Pipfile.lock",
  ecosystem: "PyPI",
  kind: "lockfile",
  matches: (path) => baseName(path) === "Pipfile.lock",
  parse: parsePipfileLock,
};

const SECTIONS = ["default", "develop"] as const;

function parsePipfileLock(text: string): ParsedDependencyFile {
  const json = parseJsonWithLines(text, 2);
  const lock = json.value;
  if (!isObject(lock) || !("_meta" in lock || "default" in lock || "develop" in lock)) {
    throw new DependencyParseError('not a Pipfile.lock: expected an object with "_meta", "default" and "develop"', 1);
  }
  const dependencies: Dependency[] = [];
  const seen = new Set<string>();
  for (const section of SECTIONS) {
    const entries = lock[section];
    if (entries === undefined) continue;
    const sectionLine = json.lineOf([section]) ?? 1;
    if (!isObject(entries)) throw new DependencyParseError(`Pipfile.lock: "${section}" at line ${sectionLine} must be an object`, sectionLine);
    for (const [name, entry] of Object.entries(entries)) {
      const line = json.lineOf([section, name]) ?? sectionLine;
      const dependency = entryDependency(name, entry, line, section === "develop");
      const key = `${dependency.name}\u0000${dependency.version ?? ""}\u0000${dependency.source?.spec ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      dependencies.push(dependency);
    }
  }
  return { ecosystem: "PyPI", kind: "lockfile", dependencies };
}

function entryDependency(name: string, entry: unknown, line: number, dev: boolean): Dependency {
  if (!isObject(entry)) throw new DependencyParseError(`Pipfile.lock: "${name}" at line ${line} must be an object`, line);
  const source = sourceOf(entry, name, line);
  const pin = versionOf(entry.version, name, line);
  const hash = Array.isArray(entry.hashes) ? entry.hashes.find((h): h is string => typeof h === "string" && h !== "") : undefined;
  const integrity = hash ?? (source === undefined ? "" : undefined);
  return {
    ecosystem: "PyPI",
    ...nameFields(name),
    ...pin,
    line,
    direct: false,
    dev,
    ...(source === undefined ? {} : { source }),
    ...(integrity === undefined ? {} : { integrity }),
  };
}

function versionOf(version: unknown, name: string, line: number): { version?: string; requirement?: string; unpinned?: string } {
  if (version === undefined) return { unpinned: "no version in the lockfile" };
  if (typeof version !== "string") throw new DependencyParseError(`Pipfile.lock: the version of "${name}" at line ${line} must be a string`, line);
  const exact = /^===?\s*([^\s=<>!~,*]+)$/.exec(version.trim());
  return exact ? { version: exact[1]!, requirement: version } : { requirement: version, unpinned: `unpinned range "${version}"` };
}

function sourceOf(entry: JsonObject, name: string, line: number): DependencySource | undefined {
  const { git, ref, path, file } = entry;
  const text = (value: unknown, key: string): string => {
    if (typeof value !== "string") throw new DependencyParseError(`Pipfile.lock: "${key}" of "${name}" at line ${line} must be a string`, line);
    return value;
  };
  if (git !== undefined) {
    const url = text(git, "git");
    return { kind: "git", spec: typeof ref === "string" && ref !== "" ? `${url}#${ref}` : url };
  }
  if (path !== undefined) return { kind: "file", spec: text(path, "path") };
  if (file !== undefined) {
    const url = text(file, "file");
    return { kind: sourceKindOfUrl(url), spec: url };
  }
  return undefined;
}
