/**
 * `uv.lock`: one `[[package]]` per package, with `source = { registry | git | url | path | editable |
 * virtual | directory = … }`, `sdist`/`wheels` with hashes, and `dependencies`, `optional-dependencies`
 * and (on projects) `dev-dependencies` edges `{ name, extra?, version?, marker? }`.
 *
 * - Workspace members and local projects (`editable`, `virtual`, `directory` sources) are the
 *   project, not dependencies. The roots of the graph are `[manifest] members` when the lock has
 *   them, else the `editable` and `virtual` packages.
 * - `direct`: a root names it in one of its edges. `dev`: reachable from a root only through
 *   `dev-dependencies` (true), or through its dependencies or extras (false); a package the walk
 *   does not reach (an edge that names a version it cannot match) has no `dev`. Markers are not
 *   evaluated, so a Windows-only dependency counts: the walk never calls production code dev.
 * - `integrity` is the sdist hash, else the first wheel's; `resolved` the sdist (else first wheel) URL.
 */
import { DependencyParseError, type Dependency, type DependencyFormat, type DependencySource, type ParsedDependencyFile } from "../model.js";
import { baseName } from "./file-name.js";
import { normalizePypiName } from "./pep503.js";
import { nameFields, sourceKindOfUrl } from "./pep508.js";
import { isTomlTable, parseTomlWithLines } from "./toml-lines.js";
import type { TomlTable } from "smol-toml";

export const uvLockFormat: DependencyFormat = {
  id: "uv-lock",
  files: "uv.lock",
  ecosystem: "PyPI",
  kind: "lockfile",
  matches: (path) => baseName(path) === "uv.lock",
  parse: parseUvLock,
};

interface LockedPackage {
  readonly index: number;
  readonly line: number;
  readonly name: string;
  readonly entry: TomlTable;
  readonly source: TomlTable;
}

interface Edge {
  readonly name: string;
  readonly version?: string;
  readonly extras: readonly string[];
}

const LOCAL_PROJECT_SOURCES = ["editable", "virtual", "directory"] as const;

function parseUvLock(text: string): ParsedDependencyFile {
  const toml = parseTomlWithLines(text, { keys: false });
  const { package: packages, version } = toml.value;
  if (packages === undefined && version === undefined) {
    throw new DependencyParseError('not a uv.lock: it has neither "version" nor [[package]] tables', 1);
  }
  if (packages !== undefined && !Array.isArray(packages)) {
    throw new DependencyParseError('uv.lock: "package" must be an array of tables ([[package]])', 1);
  }
  const locked = (packages ?? []).map((entry, index) => lockedPackage(entry, index, toml.lineOf(["package", index]) ?? 1));
  const roots = rootsOf(locked, toml.value.manifest);
  const graph = walk(locked, roots);
  const dependencies = locked.filter((p) => !isLocalProject(p)).map((p) => packageDependency(p, graph));
  return { ecosystem: "PyPI", kind: "lockfile", dependencies };
}

function lockedPackage(entry: unknown, index: number, line: number): LockedPackage {
  if (!isTomlTable(entry)) throw new DependencyParseError(`uv.lock: package ${index + 1} at line ${line} is not a table`, line);
  if (typeof entry.name !== "string" || entry.name === "") throw new DependencyParseError(`uv.lock: [[package]] at line ${line} has no "name"`, line);
  const source = entry.source ?? {};
  if (!isTomlTable(source)) throw new DependencyParseError(`uv.lock: the source of "${entry.name}" at line ${line} must be a table`, line);
  return { index, line, name: normalizePypiName(entry.name), entry, source };
}

function isLocalProject(p: LockedPackage): boolean {
  return LOCAL_PROJECT_SOURCES.some((key) => p.source[key] !== undefined);
}

function rootsOf(locked: readonly LockedPackage[], manifest: unknown): LockedPackage[] {
  const members = isTomlTable(manifest) && Array.isArray(manifest.members) ? manifest.members : undefined;
  if (members) {
    const names = new Set(members.filter((m): m is string => typeof m === "string").map(normalizePypiName));
    return locked.filter((p) => names.has(p.name));
  }
  return locked.filter((p) => p.source.editable !== undefined || p.source.virtual !== undefined);
}

interface Reach {
  readonly direct: Set<number>;
  readonly production: Set<number>;
  readonly development: Set<number>;
}

function walk(locked: readonly LockedPackage[], roots: readonly LockedPackage[]): Reach {
  const byName = new Map<string, LockedPackage[]>();
  for (const p of locked) {
    const same = byName.get(p.name);
    if (same) same.push(p);
    else byName.set(p.name, [p]);
  }
  const targets = (edge: Edge) => (byName.get(edge.name) ?? []).filter((p) => edge.version === undefined || p.entry.version === edge.version);

  const direct = new Set<number>();
  const productionEdges = roots.flatMap((root) => [...edgesOf(root.entry.dependencies), ...groupEdges(root.entry["optional-dependencies"])]);
  const developmentEdges = roots.flatMap((root) => groupEdges(root.entry["dev-dependencies"]));
  for (const edge of [...productionEdges, ...developmentEdges]) for (const p of targets(edge)) direct.add(p.index);

  const reach = (start: readonly Edge[]): Set<number> => {
    const reached = new Set<number>();
    // Visited (package, extra) pairs: "" is the package itself.
    const visited = new Set<string>();
    const queue = [...start];
    while (queue.length > 0) {
      const edge = queue.pop()!;
      for (const p of targets(edge)) {
        for (const part of ["", ...edge.extras]) {
          const key = `${p.index}\u0000${part}`;
          if (visited.has(key)) continue;
          visited.add(key);
          reached.add(p.index);
          const optional = p.entry["optional-dependencies"];
          queue.push(...(part === "" ? edgesOf(p.entry.dependencies) : isTomlTable(optional) ? edgesOf(optional[part]) : []));
        }
      }
    }
    return reached;
  };
  return { direct, production: reach(productionEdges), development: reach(developmentEdges) };
}

function groupEdges(groups: unknown): Edge[] {
  return isTomlTable(groups) ? Object.values(groups).flatMap(edgesOf) : [];
}

function edgesOf(list: unknown): Edge[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    if (!isTomlTable(item) || typeof item.name !== "string") return [];
    const extras = Array.isArray(item.extra) ? item.extra.filter((e): e is string => typeof e === "string") : [];
    return [{ name: normalizePypiName(item.name), extras, ...(typeof item.version === "string" ? { version: item.version } : {}) }];
  });
}

function packageDependency(p: LockedPackage, reach: Reach): Dependency {
  const { entry, line } = p;
  const declared = entry.name as string;
  const source = sourceOf(p.source);
  const version = typeof entry.version === "string" && entry.version !== "" ? entry.version : undefined;
  if (version === undefined && source === undefined) {
    throw new DependencyParseError(`uv.lock: registry package "${declared}" at line ${line} has no "version"`, line);
  }
  const artifacts = [entry.sdist, ...(Array.isArray(entry.wheels) ? entry.wheels : [])].filter(isTomlTable);
  const hash = artifacts.map((a) => a.hash).find((h): h is string => typeof h === "string" && h !== "");
  const url = artifacts.map((a) => a.url).find((u): u is string => typeof u === "string" && u !== "");
  const integrity = hash ?? (source === undefined ? "" : undefined);
  const dev = reach.production.has(p.index) ? false : reach.development.has(p.index) ? true : undefined;
  return {
    ecosystem: "PyPI",
    ...nameFields(declared),
    ...(version === undefined ? { unpinned: "no version in the lockfile" } : { version }),
    line,
    direct: reach.direct.has(p.index),
    ...(dev === undefined ? {} : { dev }),
    ...(source === undefined ? {} : { source }),
    ...(url === undefined ? {} : { resolved: url }),
    ...(integrity === undefined ? {} : { integrity }),
  };
}

function sourceOf(source: TomlTable): DependencySource | undefined {
  if (typeof source.git === "string") return { kind: "git", spec: source.git };
  if (typeof source.url === "string") return { kind: sourceKindOfUrl(source.url), spec: source.url };
  if (typeof source.path === "string") return { kind: "file", spec: source.path };
  return undefined;
}
