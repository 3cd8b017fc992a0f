/**
 * `poetry.lock`: one `[[package]]` table per installed package, every one of them flat (the lock
 * does not say which are the project's own; the check decides that from `pyproject.toml`, so
 * `direct` is false here).
 *
 * Format facts, by Poetry version:
 * - 1.0–1.1 (lock-version 1.x): `category = "main" | "dev"`; hashes in `[metadata.files]`, by name.
 * - 1.2–1.8 (lock-version 2.0): no category; `files = [{ file, hash }]` in each package.
 * - 2.x (lock-version 2.1): `groups = ["main", "dev"]`; a package outside `main` is dev.
 * - `[package.source]` with `type = "git" | "url" | "file" | "directory"` is not from PyPI;
 *   `type = "legacy"` is a package index other than PyPI: still a registry version, so it keeps no
 *   `source`, and the index URL goes in `resolved` (a private index is what dependency confusion
 *   exploits, so the check should be able to see it).
 * Locked versions are kept for git and path packages too: it is the version that was installed.
 */
import { DependencyParseError, type Dependency, type DependencyFormat, type DependencySource, type ParsedDependencyFile } from "../model.js";
import { baseName } from "./file-name.js";
import { nameFields } from "./pep508.js";
import { isTomlTable, parseTomlWithLines } from "./toml-lines.js";
import type { TomlTable } from "smol-toml";

export const poetryLockFormat: DependencyFormat = {
  id: "poetry-lock",
  files: "poetry.lock",
  ecosystem: "PyPI",
  kind: "lockfile",
  matches: (path) => baseName(path) === "poetry.lock",
  parse: parsePoetryLock,
};

function parsePoetryLock(text: string): ParsedDependencyFile {
  const toml = parseTomlWithLines(text, { keys: false });
  const { package: packages, metadata } = toml.value;
  if (packages === undefined && metadata === undefined) {
    throw new DependencyParseError("not a poetry.lock: it has neither [[package]] tables nor [metadata]", 1);
  }
  if (packages !== undefined && !Array.isArray(packages)) {
    throw new DependencyParseError('poetry.lock: "package" must be an array of tables ([[package]])', toml.lineOf(["package"]) ?? 1);
  }
  const legacyFiles = isTomlTable(metadata) && isTomlTable(metadata.files) ? metadata.files : undefined;
  const dependencies = (packages ?? []).map((entry, index) => {
    const line = toml.lineOf(["package", index]) ?? 1;
    if (!isTomlTable(entry)) throw new DependencyParseError(`poetry.lock: package ${index + 1} at line ${line} is not a table`, line);
    return packageDependency(entry, line, legacyFiles);
  });
  return { ecosystem: "PyPI", kind: "lockfile", dependencies };
}

function packageDependency(entry: TomlTable, line: number, legacyFiles: TomlTable | undefined): Dependency {
  const { name, version } = entry;
  if (typeof name !== "string" || name === "") throw new DependencyParseError(`poetry.lock: [[package]] at line ${line} has no "name"`, line);
  if (typeof version !== "string" || version === "") {
    throw new DependencyParseError(`poetry.lock: package "${name}" at line ${line} has no "version"`, line);
  }
  const dev = devOf(entry);
  const origin = originOf(entry.source, line);
  const hash = firstHash(entry.files) ?? firstHash(legacyFiles?.[name]);
  // A registry package without hashes is worth saying ("" = recorded none); a git checkout has none to record.
  const integrity = hash ?? (origin.source === undefined ? "" : undefined);
  return {
    ecosystem: "PyPI",
    ...nameFields(name),
    version,
    line,
    direct: false,
    ...(dev === undefined ? {} : { dev }),
    ...origin,
    ...(integrity === undefined ? {} : { integrity }),
  };
}

function devOf(entry: TomlTable): boolean | undefined {
  const { groups, category } = entry;
  if (Array.isArray(groups) && groups.length > 0) return !groups.includes("main");
  if (typeof category === "string") return category === "dev";
  return undefined;
}

function originOf(source: unknown, line: number): { source?: DependencySource; resolved?: string } {
  if (source === undefined) return {};
  if (!isTomlTable(source) || typeof source.type !== "string") {
    throw new DependencyParseError(`poetry.lock: the source of the package at line ${line} needs a "type"`, line);
  }
  const url = typeof source.url === "string" ? source.url : "";
  switch (source.type) {
    case "git": {
      const ref = source.resolved_reference ?? source.reference;
      return { source: { kind: "git", spec: typeof ref === "string" && ref !== "" ? `${url}#${ref}` : url } };
    }
    case "url":
      return { source: { kind: "url", spec: url } };
    case "file":
    case "directory":
      return { source: { kind: "file", spec: url } };
    default:
      // "legacy" (a simple-API index), and any index type Poetry may add.
      return url === "" ? {} : { resolved: url };
  }
}

function firstHash(files: unknown): string | undefined {
  if (!Array.isArray(files)) return undefined;
  for (const file of files) {
    if (isTomlTable(file) && typeof file.hash === "string" && file.hash !== "") return file.hash;
  }
  return undefined;
}
