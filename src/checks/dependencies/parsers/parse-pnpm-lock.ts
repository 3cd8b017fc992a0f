/**
 * `pnpm-lock.yaml`, lockfileVersion 6.x (pnpm 8) and 7.x/9.x (pnpm 9+); 5.x and older (pnpm 7
 * and before, another key syntax) are refused with a message saying so. Read through
 * src/core/yaml.ts (alias cap, lines), with duplicate keys checked in linear time there (the
 * library's own check is quadratic in a mapping's size).
 *
 * - One dependency per package name and version in `packages`, on the line of its key there. Peer
 *   variants (`/x@1.0.0(react@17)`, `/x@1.0.0(react@18)`) are one package.
 * - `importers` (`.` and each workspace folder; a v6 single-project file has the root's groups at the
 *   top level) make packages direct; `scope` is the first non-root importer that declares one, and
 *   an alias (`x: npm:lodash@4.17.15`) gives `declaredName`. `link:` references are workspace
 *   folders, not packages.
 * - `dev`: v6 writes it on each package; v9 does not, so it comes from the graph (reachable from
 *   devDependencies and not from dependencies or optionalDependencies), as pnpm computes it.
 * - `requiredBy` (transitive packages only): up to five direct dependencies whose graph reaches it.
 * - `resolution`: `integrity` (`""` when a registry package has none), `tarball` -> `resolved`;
 *   git (`type: git`, GitHub's codeload tarballs), directory (`file:` folders) and non-registry
 *   tarballs give a `source` and no integrity expectation. `requiresBuild` -> `hasInstallScript`.
 * - Runtimes (pnpm 10's `node@runtime:22.1.0`, `deno@runtime:…`, `bun@runtime:…`) are not npm
 *   packages: `resolution: { type: variations }` lists one binary per platform, each with its own
 *   `url` and `integrity`. They are a `url` source (a download from nodejs.org or a fork, not the
 *   registry), named by the URL whose host differs from the first one's when one does, so an
 *   injected variant is the one shown; integrity is every variant's, `""` if one has none.
 * - pnpm 10 may put a second YAML document first (the config-dependencies lockfile); the last
 *   document is the project's lockfile.
 */
import { YamlError, keyLinesAt, lineOfPath, parseYamlDocuments, type ParsedYaml } from "../../../core/yaml.js";
import { DependencyParseError, type Dependency, type DependencyFormat, type DependencySource, type ParsedDependencyFile } from "../model.js";
import { rejectConflictMarkers } from "./conflict-markers.js";
import { baseName } from "./file-name.js";
import { isObject } from "./json-shape.js";
import { MAX_REQUIRED_BY, reachableFrom, requiredByLabels, type DependencyGraph } from "./pnpm-lock-graph.js";
import { depPathOf, packageIdOf, withoutSuffixes, type PnpmLayout } from "./pnpm-dep-path.js";

const GROUPS = ["dependencies", "devDependencies", "optionalDependencies"] as const;
const EDGE_GROUPS = ["dependencies", "optionalDependencies"] as const;
const GIT_TARBALL = /^https:\/\/(?:codeload\.github\.com\/|gitlab\.com\/[^?#]+\/-\/archive\/|bitbucket\.org\/[^?#]+\/get\/)/i;

export const pnpmLockFormat: DependencyFormat = {
  id: "pnpm-lock",
  files: "pnpm-lock.yaml",
  ecosystem: "npm",
  kind: "lockfile",
  matches: (path) => baseName(path) === "pnpm-lock.yaml",
  parse: parsePnpmLock,
};

type Group = (typeof GROUPS)[number];
type YamlMap = Record<string, unknown>;

interface ImporterReference {
  readonly importer: string;
  readonly group: Group;
  readonly alias: string;
  readonly specifier?: string;
  readonly depPath: string;
}

interface PackageRecord {
  readonly key: string;
  readonly line: number;
  readonly name: string;
  readonly version?: string;
  readonly entry: YamlMap;
  readonly nonRegistry: boolean;
}

interface Lockfile {
  readonly parsed: ParsedYaml;
  readonly root: YamlMap;
  readonly layout: PnpmLayout;
}

function parsePnpmLock(text: string): ParsedDependencyFile {
  rejectConflictMarkers(text.split(/\r?\n|\r/));
  const lockfile = readLockfile(text);
  if (!lockfile) return { ecosystem: "npm", kind: "lockfile", dependencies: [], warnings: ["pnpm-lock.yaml is empty"] };

  const references = importerReferences(lockfile);
  const records = packageRecords(lockfile);
  const recordOf = recordLookup(lockfile.layout, records);
  const graph = dependencyGraph(lockfile);

  const direct = new Map<PackageRecord, ImporterReference[]>();
  for (const reference of references) {
    const record = recordOf(reference.depPath);
    if (!record) {
      const line = lineOfPath(lockfile.parsed, importerPath(lockfile, reference.importer, reference.group, reference.alias));
      throw new DependencyParseError(`${reference.alias} at line ${line} points at ${JSON.stringify(reference.depPath.slice(0, 120))}, which is not in packages`, line);
    }
    const list = direct.get(record) ?? [];
    list.push(reference);
    direct.set(record, list);
  }

  const prodReach = reachableFrom(graph, references.filter((r) => r.group !== "devDependencies").map((r) => r.depPath));
  const devReach = reachableFrom(graph, references.filter((r) => r.group === "devDependencies").map((r) => r.depPath));
  const labels = requiredByLabels(graph, references.map((r) => ({ depPath: r.depPath, label: recordOf(r.depPath)!.name })));
  const installsOf = installsByRecord(recordOf, [...graph.keys(), ...references.map((r) => r.depPath)]);

  const seen = new Set<string>();
  const dependencies: Dependency[] = [];
  for (const record of records) {
    const identity = `${record.name}\u0000${record.version ?? record.key}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const installs = installsOf.get(record) ?? [record.key];
    const inProd = installs.some((d) => prodReach.has(d));
    const inDev = installs.some((d) => devReach.has(d));
    const declared = direct.get(record);
    const requiredBy = declared ? [] : [...new Set(installs.flatMap((d) => [...(labels.get(d) ?? [])]))].slice(0, MAX_REQUIRED_BY);
    dependencies.push(toDependency(lockfile, record, { declared, inProd, inDev, requiredBy }));
  }
  return { ecosystem: "npm", kind: "lockfile", dependencies };
}

function readLockfile(text: string): Lockfile | undefined {
  let documents: ParsedYaml[];
  try {
    // Duplicate keys are errors (pnpm refuses them too), checked in linear time by the YAML helper.
    documents = parseYamlDocuments(text);
  } catch (error) {
    if (error instanceof YamlError) throw new DependencyParseError(error.message, error.line);
    throw error;
  }
  const parsed = documents.at(-1);
  if (!parsed || parsed.value === null) return undefined;
  if (!isObject(parsed.value)) throw new DependencyParseError("not a pnpm lockfile: the document is not a mapping", lineOfPath(parsed, []) ?? 1);
  const root = parsed.value;
  return { parsed, root, layout: layoutOf(root.lockfileVersion, lineOfPath(parsed, ["lockfileVersion"]) ?? 1) };
}

function layoutOf(declared: unknown, line: number): PnpmLayout {
  if (declared === undefined) throw new DependencyParseError("not a pnpm lockfile: no lockfileVersion", line);
  const version = String(declared);
  const major = /^(\d+)(?:\.\d+)?$/.exec(version)?.[1];
  if (major === "6") return "v6";
  if (major === "7" || major === "9") return "v9";
  if (major !== undefined && Number(major) <= 5) {
    throw new DependencyParseError(`lockfileVersion ${version} at line ${line} (pnpm 7 and older) is not supported: regenerate the lockfile with pnpm 8 or newer`, line);
  }
  throw new DependencyParseError(`unknown lockfileVersion ${JSON.stringify(version.slice(0, 20))} at line ${line} (supported: 6.x, 7.x, 9.x)`, line);
}

function importerPath(lockfile: Lockfile, importer: string, ...rest: string[]): string[] {
  return isObject(lockfile.root.importers) ? ["importers", importer, ...rest] : rest;
}

/** Every importer's dependency, in file order (`link:` workspace references left out). */
function importerReferences(lockfile: Lockfile): ImporterReference[] {
  const { root, layout, parsed } = lockfile;
  const importers: [string, unknown][] = isObject(root.importers) ? Object.entries(root.importers) : [[".", root]];
  if (root.importers !== undefined && !isObject(root.importers)) throw shapeError(parsed, ["importers"], "importers is not a mapping");
  const references: ImporterReference[] = [];
  for (const [importer, value] of importers) {
    if (!isObject(value)) throw shapeError(parsed, importerPath(lockfile, importer), `importer ${JSON.stringify(importer)} is not a mapping`);
    for (const group of GROUPS) {
      const entries = value[group];
      if (entries === undefined) continue;
      if (!isObject(entries)) throw shapeError(parsed, importerPath(lockfile, importer, group), `${group} of importer ${JSON.stringify(importer)} is not a mapping`);
      for (const [alias, entry] of Object.entries(entries)) {
        // v6/v9 write `{ specifier, version }`; lockfile v5 wrote the version alone.
        const reference = isObject(entry) ? entry.version : entry;
        if (typeof reference !== "string" && typeof reference !== "number") {
          throw shapeError(parsed, importerPath(lockfile, importer, group, alias), `${alias} in ${group} of importer ${JSON.stringify(importer)} has no version`);
        }
        const depPath = depPathOf(layout, alias, String(reference));
        if (depPath === undefined) continue;
        const specifier = isObject(entry) && typeof entry.specifier === "string" ? entry.specifier : undefined;
        references.push({ importer, group, alias, depPath, ...(specifier !== undefined ? { specifier } : {}) });
      }
    }
  }
  return references;
}

function packageRecords(lockfile: Lockfile): PackageRecord[] {
  const { root, layout, parsed } = lockfile;
  if (root.packages === undefined || root.packages === null) return [];
  if (!isObject(root.packages)) throw shapeError(parsed, ["packages"], "packages is not a mapping");
  const keyLines = keyLinesAt(parsed, ["packages"]);
  const records: PackageRecord[] = [];
  for (const [key, entry] of Object.entries(root.packages)) {
    const line = keyLines.get(key) ?? lineOfPath(parsed, ["packages"]) ?? 1;
    const label = JSON.stringify(key.slice(0, 120));
    if (!isObject(entry)) throw new DependencyParseError(`package ${label} at line ${line} is not a mapping`, line);
    const id = packageIdOf(layout, key);
    if (!id) throw new DependencyParseError(`package key ${label} at line ${line} is not name@version`, line);
    const name = id.name || (typeof entry.name === "string" ? entry.name : "");
    if (name === "") throw new DependencyParseError(`package ${label} at line ${line} has no name`, line);
    const written = id.version ?? entry.version;
    if (written !== undefined && typeof written !== "string" && typeof written !== "number") {
      throw new DependencyParseError(`package ${label} at line ${line}: version is not a string`, line);
    }
    const version = written === undefined ? undefined : String(written);
    records.push({ key, line, name, entry, nonRegistry: id.nonRegistry, ...(version !== undefined ? { version } : {}) });
  }
  return records;
}

/** v6 `packages` keys are dependency paths themselves; v9 keys drop the peer suffixes of `snapshots`. */
function recordLookup(layout: PnpmLayout, records: readonly PackageRecord[]): (depPath: string) => PackageRecord | undefined {
  const byKey = new Map(records.map((r) => [r.key, r]));
  return layout === "v6"
    ? (depPath) => byKey.get(depPath) ?? byKey.get(withoutSuffixes(depPath))
    : (depPath) => byKey.get(withoutSuffixes(depPath));
}

/** Edges from v9 `snapshots`, or v6 `packages` (which hold both the metadata and the graph). */
function dependencyGraph(lockfile: Lockfile): DependencyGraph {
  const { root, layout, parsed } = lockfile;
  const table = layout === "v9" ? root.snapshots : root.packages;
  const tableName = layout === "v9" ? "snapshots" : "packages";
  const graph = new Map<string, string[]>();
  if (table === undefined || table === null) return graph;
  if (!isObject(table)) throw shapeError(parsed, [tableName], `${tableName} is not a mapping`);
  for (const [depPath, entry] of Object.entries(table)) {
    if (!isObject(entry)) throw shapeError(parsed, [tableName, depPath], `${tableName} entry ${JSON.stringify(depPath.slice(0, 120))} is not a mapping`);
    const next: string[] = [];
    for (const group of EDGE_GROUPS) {
      const edges = entry[group];
      if (edges === undefined) continue;
      if (!isObject(edges)) throw shapeError(parsed, [tableName, depPath, group], `${group} of ${JSON.stringify(depPath.slice(0, 120))} is not a mapping`);
      for (const [alias, reference] of Object.entries(edges)) {
        if (typeof reference !== "string" && typeof reference !== "number") {
          throw shapeError(parsed, [tableName, depPath, group, alias], `${alias} in ${group} of ${JSON.stringify(depPath.slice(0, 120))} is not a version`);
        }
        const target = depPathOf(layout, alias, String(reference));
        if (target !== undefined) next.push(target);
      }
    }
    graph.set(depPath, next);
  }
  return graph;
}

function installsByRecord(recordOf: (depPath: string) => PackageRecord | undefined, depPaths: Iterable<string>): Map<PackageRecord, string[]> {
  const installs = new Map<PackageRecord, string[]>();
  for (const depPath of new Set(depPaths)) {
    const record = recordOf(depPath);
    if (!record) continue;
    const list = installs.get(record) ?? [];
    list.push(depPath);
    installs.set(record, list);
  }
  return installs;
}

interface Placement {
  readonly declared: readonly ImporterReference[] | undefined;
  readonly inProd: boolean;
  readonly inDev: boolean;
  readonly requiredBy: readonly string[];
}

function toDependency(lockfile: Lockfile, record: PackageRecord, placement: Placement): Dependency {
  const { declared, inProd, inDev, requiredBy } = placement;
  const resolution = isObject(record.entry.resolution) ? record.entry.resolution : undefined;
  if (!resolution) throw new DependencyParseError(`package ${JSON.stringify(record.key.slice(0, 120))} at line ${record.line} has no resolution`, record.line);
  const runtime = resolution.type === "variations" ? runtimeDownload(record, resolution) : undefined;
  const source = runtime?.source ?? sourceOf(record, resolution);
  const integrity = runtime ? runtime.integrity : typeof resolution.integrity === "string" ? resolution.integrity : source ? undefined : "";
  const resolved = typeof resolution.tarball === "string" ? resolution.tarball : undefined;
  const explicitDev = lockfile.layout === "v6" && typeof record.entry.dev === "boolean" ? record.entry.dev : undefined;
  const dev = explicitDev ?? (inDev && !inProd);
  const first = declared?.[0];
  const scope = declared?.find((r) => r.importer !== ".")?.importer;
  const isRoot = declared?.some((r) => r.importer === ".") ?? false;
  // An alias only when no importer also declares the package by its own name.
  const aliases = declared?.map((r) => r.alias) ?? [];
  const declaredName = aliases.length > 0 && !aliases.includes(record.name) ? aliases[0] : undefined;
  return {
    ecosystem: "npm",
    name: record.name,
    ...(record.version !== undefined ? { version: record.version } : { unpinned: "local path dependency" }),
    line: record.line,
    direct: declared !== undefined,
    ...(dev ? { dev: true } : {}),
    ...(declaredName !== undefined ? { declaredName } : {}),
    ...(first?.specifier !== undefined ? { requirement: first.specifier } : {}),
    ...(source ? { source } : {}),
    ...(resolved !== undefined ? { resolved } : {}),
    ...(integrity !== undefined ? { integrity } : {}),
    ...(record.entry.requiresBuild === true ? { hasInstallScript: true } : {}),
    ...(scope !== undefined && !isRoot ? { scope } : {}),
    ...(requiredBy.length > 0 ? { requiredBy } : {}),
  };
}

function sourceOf(record: PackageRecord, resolution: YamlMap): DependencySource | undefined {
  if (resolution.type === "git" && typeof resolution.repo === "string") {
    return { kind: "git", spec: typeof resolution.commit === "string" ? `${resolution.repo}#${resolution.commit}` : resolution.repo };
  }
  if (resolution.type === "directory" && typeof resolution.directory === "string") return { kind: "file", spec: resolution.directory };
  if (!record.nonRegistry || typeof resolution.tarball !== "string") return undefined;
  const tarball = resolution.tarball;
  if (tarball.startsWith("file:")) return { kind: "file", spec: tarball };
  return { kind: GIT_TARBALL.test(tarball) ? "git" : "url", spec: tarball };
}

/** A runtime's platform binaries (`resolution.variants[].resolution.{url,integrity}`) as one download. */
function runtimeDownload(record: PackageRecord, resolution: YamlMap): { source: DependencySource; integrity: string } {
  const variants = Array.isArray(resolution.variants) ? resolution.variants : [];
  const downloads = variants.map((variant: unknown) => (isObject(variant) && isObject(variant.resolution) ? variant.resolution : {}));
  const urls = downloads.map((d) => d.url).filter((url): url is string => typeof url === "string" && url !== "");
  if (urls.length === 0) {
    throw new DependencyParseError(`package ${JSON.stringify(record.key.slice(0, 120))} at line ${record.line} has variations without a url`, record.line);
  }
  const first = hostOf(urls[0]!);
  const shown = urls.find((url) => hostOf(url) !== first) ?? urls[0]!;
  const integrities = downloads.map((d) => d.integrity);
  const integrity = integrities.every((i): i is string => typeof i === "string" && i !== "") ? [...new Set(integrities)].join(" ") : "";
  return { source: { kind: "url", spec: shown }, integrity };
}

function hostOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function shapeError(parsed: ParsedYaml, path: readonly string[], message: string): DependencyParseError {
  const line = lineOfPath(parsed, path);
  return new DependencyParseError(line !== undefined ? `${message} (line ${line})` : message, line);
}
