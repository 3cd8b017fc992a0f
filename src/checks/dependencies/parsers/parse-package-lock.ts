/**
 * package-lock.json and npm-shrinkwrap.json: every package npm installs, with the exact version,
 * where it was downloaded from and its integrity hash.
 *
 * Format facts:
 * - lockfileVersion 2 and 3 list packages in `packages`, keyed by install folder
 *   (`node_modules/a/node_modules/b`, `packages/x/node_modules/b` in a workspace). `""` is the root
 *   project, keys without a `node_modules/` segment are workspace (or linked) project folders, and
 *   `link: true` entries are symlinks to those folders: none of them is a dependency. v2 also keeps
 *   v1's `dependencies` tree for old npm; `packages` is read when present.
 * - lockfileVersion 1 (and the older shrinkwrap without a version) nest `dependencies` by install
 *   folder; `requires` holds each entry's dependencies. A v1 alias's version is `npm:lodash@4.17.15`;
 *   a git, tarball or path dependency's version is the git URL, tarball URL or `file:` path. npm
 *   5.0 (the first lockfiles, 2017) wrote registry packages that way too: `"version":
 *   "https://registry.npmjs.org/acorn/-/acorn-4.0.4.tgz"`; a URL of the registry's tarball shape
 *   naming the entry's own package is that registry version, downloaded from that URL (`resolved`,
 *   so its host is still judged).
 * - A dependency `d` of the package at folder K is the nearest `K/node_modules/d`, then the same in
 *   each parent folder up to the root (Node's resolution, which npm's tree mirrors). That graph gives
 *   `direct` (what a project's own manifest asks for) and `requiredBy` (which direct dependencies
 *   pull a package in).
 * - Bundled packages (`inBundle`, v1 `bundled`) ship inside their parent's tarball and have no
 *   integrity of their own; git dependencies have none either. Only a registry entry without
 *   `integrity` gets `""`.
 *
 * Known limit: v1 files do not say what the root project declares, so a top-level v1 entry is direct
 * only when no other package requires it (a direct dependency that is also transitive is reported
 * as transitive).
 */
import { DependencyParseError, type Dependency, type DependencyFormat, type DependencySource, type ParsedDependencyFile, type ParseOptions } from "../model.js";
import { baseName } from "./file-name.js";
import { clip, describeValue, isObject, type JsonObject } from "./json-shape.js";
import { parseJsonWithLines, type JsonWithLines } from "./json-with-lines.js";
import { classifyNpmSpec, unpinnedReason } from "./npm-spec.js";

export const packageLockFormat: DependencyFormat = {
  id: "package-lock",
  files: "package-lock.json, npm-shrinkwrap.json",
  ecosystem: "npm",
  kind: "lockfile",
  matches: (path) => {
    const name = baseName(path);
    return (name === "package-lock.json" || name === "npm-shrinkwrap.json") && !/(?:^|\/)node_modules\//.test(path);
  },
  parse: (text, _path, options) => parsePackageLock(text, options),
};

const MAX_REQUIRED_BY = 5;
// Real trees nest a few levels; the cap keeps a hostile v1 file from costing depth² in key lines.
const MAX_V1_NESTING = 64;
// What npm writes for a registry package: no need for semver's parser.
const PLAIN_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const PROJECT_SECTIONS = ["dependencies", "devDependencies", "optionalDependencies"] as const;
const ENTRY_SECTIONS = ["dependencies", "optionalDependencies", "peerDependencies"] as const;

type Json = JsonObject;

/** One installed folder (or a symlink to a project folder), whatever the lockfile version. */
interface LockNode {
  /** `node_modules/a/node_modules/b`. */
  readonly location: string;
  /** The folder whose `node_modules` holds it (`node_modules/a`; `""` at the root). */
  readonly parent: string;
  /** The folder name under `node_modules`: the name dependents ask for (an alias key). */
  readonly installedName: string;
  /** How messages name the entry: `packages["node_modules/a"]`, `dependencies.a.dependencies.b`. */
  readonly where: string;
  readonly line: number;
  readonly entry: Json;
  /** Dependencies to resolve: name -> spec. */
  readonly needs: readonly Json[];
  readonly link: boolean;
  /** A v1 entry: its version may be an alias, git URL, tarball URL or path. */
  readonly v1: boolean;
}

/** A folder with its own package.json (the root, a workspace): its declared dependencies are direct. */
interface Project {
  readonly folder: string;
  readonly declared: readonly Json[];
}

function parsePackageLock(text: string, options: ParseOptions = {}): ParsedDependencyFile {
  let json = parseJsonWithLines(text, 2, { positions: !options.compareOnly });
  const lock = json.value;
  if (!isObject(lock)) throw new DependencyParseError("package-lock is not a JSON object", 1);
  const version = lock.lockfileVersion;
  const versionLine = json.lineOf(["lockfileVersion"]) ?? 1;
  if (version !== 1 && version !== 2 && version !== 3 && !(version === undefined && lock.packages === undefined)) {
    const shown = version === undefined ? "none" : JSON.stringify(version).slice(0, 40);
    throw new DependencyParseError(`unsupported lockfileVersion ${shown} (expected 1, 2 or 3)`, versionLine);
  }
  let nodes: LockNode[];
  let projects: Project[];
  if (lock.packages !== undefined) {
    ({ nodes, projects } = readPackages(lock.packages, json));
  } else if (lock.dependencies !== undefined) {
    // Nested entries' key lines sit two levels deeper per level of nesting.
    const nesting = v1Nesting(lock.dependencies, json);
    if (nesting > 1 && !options.compareOnly) json = parseJsonWithLines(text, 2 * nesting);
    nodes = readV1Tree(lock.dependencies, json);
    projects = [];
  } else {
    return { ecosystem: "npm", kind: "lockfile", dependencies: [] };
  }
  return { ecosystem: "npm", kind: "lockfile", dependencies: toDependencies(nodes, projects, options) };
}

// ---- Reading the two layouts into LockNodes ----

function readPackages(packages: unknown, json: JsonWithLines): { nodes: LockNode[]; projects: Project[] } {
  if (!isObject(packages)) throw new DependencyParseError(`packages: expected an object, got ${describeValue(packages)}`, json.lineOf(["packages"]) ?? 1);
  const nodes: LockNode[] = [];
  const projects: Project[] = [];
  for (const location of Object.keys(packages)) {
    const entry = packages[location];
    const line = json.lineOf(["packages", location]) ?? json.lineOf(["packages"]) ?? 1;
    const where = `packages["${clip(location)}"]`;
    if (!isObject(entry)) throw new DependencyParseError(`${where}: expected an object, got ${describeValue(entry)}`, line);
    const split = splitLocation(location, where, line);
    if (!split) {
      projects.push({ folder: location, declared: dependencyMaps(entry, PROJECT_SECTIONS, where, line) });
      continue;
    }
    const link = entry.link === true;
    const needs = link ? [] : dependencyMaps(entry, ENTRY_SECTIONS, where, line);
    nodes.push({ location, ...split, where, line, entry, needs, link, v1: false });
  }
  return { nodes, projects };
}

/** `a/node_modules/@s/b` -> parent `a`, name `@s/b`; undefined for a project folder. */
function splitLocation(location: string, where: string, line: number): { parent: string; installedName: string } | undefined {
  const last = location.lastIndexOf("/node_modules/");
  let parent: string;
  let installedName: string;
  if (last !== -1) {
    parent = location.slice(0, last);
    installedName = location.slice(last + "/node_modules/".length);
  } else if (location.startsWith("node_modules/")) {
    parent = "";
    installedName = location.slice("node_modules/".length);
  } else {
    return undefined;
  }
  if (!/^(?:@[^/]+\/)?[^/@][^/]*$/.test(installedName)) {
    throw new DependencyParseError(`${where}: not a package folder (no package name after node_modules/)`, line);
  }
  return { parent, installedName };
}

/** How deep the v1 tree nests, without recursion (hostile files nest deeply); shapes are checked later. */
function v1Nesting(dependencies: unknown, json: JsonWithLines): number {
  let deepest = 0;
  const pending: { map: unknown; nesting: number }[] = [{ map: dependencies, nesting: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (!isObject(next.map)) continue;
    if (next.nesting > MAX_V1_NESTING) {
      throw new DependencyParseError(`dependencies nested more than ${MAX_V1_NESTING} levels deep`, json.lineOf(["dependencies"]));
    }
    deepest = Math.max(deepest, next.nesting);
    for (const entry of Object.values(next.map)) {
      if (isObject(entry) && entry.dependencies !== undefined) pending.push({ map: entry.dependencies, nesting: next.nesting + 1 });
    }
  }
  return deepest;
}

/** The nested `dependencies` tree in file order (depth-first), with an explicit stack. */
function readV1Tree(dependencies: unknown, json: JsonWithLines): LockNode[] {
  const nodes: LockNode[] = [];
  const pending: { map: unknown; path: readonly string[]; parent: string }[] = [{ map: dependencies, path: ["dependencies"], parent: "" }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { map, path, parent } = next;
    const line = json.lineOf(path) ?? 1;
    if (!isObject(map)) throw new DependencyParseError(`${clip(path.join("."))}: expected an object, got ${describeValue(map)}`, line);
    for (const name of Object.keys(map)) {
      const entry = map[name];
      const entryPath = [...path, name];
      const where = clip(entryPath.join("."));
      const entryLine = json.lineOf(entryPath) ?? line;
      if (!isObject(entry)) throw new DependencyParseError(`${where}: expected an object, got ${describeValue(entry)}`, entryLine);
      const location = parent === "" ? `node_modules/${name}` : `${parent}/node_modules/${name}`;
      const needs = dependencyMaps(entry, ["requires"], where, entryLine);
      nodes.push({ location, parent, installedName: name, where, line: entryLine, entry, needs, link: false, v1: true });
      if (entry.dependencies !== undefined) pending.push({ map: entry.dependencies, path: [...entryPath, "dependencies"], parent: location });
    }
  }
  // The stack visits subtrees out of file order.
  return nodes.sort((a, b) => a.line - b.line);
}

function dependencyMaps(entry: Json, sections: readonly string[], where: string, line: number): Json[] {
  const maps: Json[] = [];
  for (const section of sections) {
    const map = entry[section];
    if (map === undefined) continue;
    if (!isObject(map)) throw new DependencyParseError(`${where}.${section}: expected an object, got ${describeValue(map)}`, line);
    maps.push(map);
  }
  return maps;
}

// ---- Resolution graph, direct dependencies and requiredBy ----

interface Graph {
  readonly edges: readonly (readonly number[])[];
  /** Direct dependencies in file order (each once). */
  readonly direct: readonly number[];
  /** A source that the declaring side's spec shows (`"x": "https://…/x.tgz"`), when the entry itself does not. */
  readonly declaredSources: ReadonlyMap<number, DependencySource>;
}

function buildGraph(nodes: readonly LockNode[], projects: readonly Project[]): Graph {
  const resolve = resolver(nodes);
  const declaredSources = new Map<number, DependencySource>();
  const noteSpec = (target: number, spec: unknown) => {
    if (typeof spec !== "string" || declaredSources.has(target)) return;
    const kind = classifyNpmSpec(spec).kind;
    if (kind === "git" || kind === "url" || kind === "file") declaredSources.set(target, { kind, spec });
  };
  // Reading every edge's spec costs more than the rest of the graph; only an http(s) download that
  // is not a registry tarball (`…/name/-/name-1.0.0.tgz`) can be a URL dependency worth the look.
  const maybeUrl = nodes.map((node) => {
    const resolved = node.entry.resolved;
    return typeof resolved === "string" && /^https?:/i.test(resolved) && !resolved.includes("/-/");
  });
  const edges = nodes.map((node) => {
    const out: number[] = [];
    for (const map of node.needs) {
      for (const name of Object.keys(map)) {
        const target = resolve(node.location, name);
        if (target === undefined || nodes[target]!.link) continue;
        out.push(target);
        if (maybeUrl[target]) noteSpec(target, map[name]);
      }
    }
    return out;
  });
  const isDirect = new Uint8Array(nodes.length);
  if (projects.length > 0) {
    for (const project of projects) {
      for (const map of project.declared) {
        for (const name of Object.keys(map)) {
          const target = resolve(project.folder, name);
          if (target === undefined || nodes[target]!.link) continue;
          isDirect[target] = 1;
          noteSpec(target, map[name]);
        }
      }
    }
  } else {
    // v1: no root manifest. Top-level entries nothing else requires are what the project asked for.
    const required = new Uint8Array(nodes.length);
    for (const out of edges) for (const target of out) required[target] = 1;
    nodes.forEach((node, i) => {
      if (node.parent === "" && !required[i]) isDirect[i] = 1;
    });
  }
  const direct: number[] = [];
  isDirect.forEach((flag, i) => {
    if (flag) direct.push(i);
  });
  return { edges, direct, declaredSources };
}

/** `resolve(folder, name)`: the node that `require(name)` from `folder` finds. */
function resolver(nodes: readonly LockNode[]): (folder: string, name: string) => number | undefined {
  // This runs once per edge (hundreds of thousands) and is bound by memory lookups, so the common
  // case touches as little as it can: one lookup in a null-prototype object (property keys from
  // JSON.parse find their slot faster there than in a Map) and one byte for "sits at the root".
  const onlyCopy: Record<string, number> = Object.create(null);
  const copies: Record<string, number[]> = Object.create(null);
  const byLocation: Record<string, number> = Object.create(null);
  const atRoot = new Uint8Array(nodes.length);
  nodes.forEach((node, i) => {
    byLocation[node.location] = i;
    atRoot[i] = node.parent === "" ? 1 : 0;
    const name = node.installedName;
    const seen = onlyCopy[name];
    if (seen === undefined) onlyCopy[name] = i;
    else {
      if (seen !== -1) copies[name] = [seen];
      copies[name]!.push(i);
      onlyCopy[name] = -1;
    }
  });
  return (folder, name) => {
    const only = onlyCopy[name];
    if (only === undefined) return undefined;
    if (only !== -1) return atRoot[only] || encloses(nodes[only]!.parent, folder) ? only : undefined;
    const candidates = copies[name]!;
    // Few copies of a name: pick the one in the nearest enclosing folder.
    if (candidates.length <= 8) {
      let best: number | undefined;
      let bestLength = -1;
      for (const i of candidates) {
        const parent = nodes[i]!.parent;
        if (parent.length > bestLength && encloses(parent, folder)) {
          best = i;
          bestLength = parent.length;
        }
      }
      return best;
    }
    // Many copies: walk up from the folder, one lookup per level.
    for (let at: string | undefined = folder; at !== undefined; at = parentFolder(at)) {
      const found = byLocation[at === "" ? `node_modules/${name}` : `${at}/node_modules/${name}`];
      if (found !== undefined) return found;
    }
    return undefined;
  };
}

function encloses(parent: string, folder: string): boolean {
  return parent === "" || folder === parent || (folder.startsWith(parent) && folder.charCodeAt(parent.length) === 47 /* / */);
}

/** `node_modules/a/node_modules/@s/b` -> `node_modules/a` -> `""` -> undefined; `packages/x` -> `packages` -> `""`. */
function parentFolder(folder: string): string | undefined {
  if (folder === "") return undefined;
  let parts = folder.split("/");
  parts.pop();
  if (parts.length >= 2 && parts[parts.length - 1]!.startsWith("@") && parts[parts.length - 2] === "node_modules") parts.pop();
  if (parts[parts.length - 1] === "node_modules") parts = parts.slice(0, -1);
  return parts.join("/");
}

/**
 * One breadth-first walk per direct dependency, labelling what it reaches. A node that already has
 * MAX_REQUIRED_BY labels is not walked again: every walk that labelled it also labelled everything
 * below it, so everything below is full too. That keeps the whole pass linear in the graph size.
 */
function requiredByLabels(graph: Graph, labelOf: (node: number) => string, count: number): (string[] | undefined)[] {
  const labels: (string[] | undefined)[] = new Array(count);
  // Checked before the labels themselves: most nodes a later walk meets are already full.
  const labelCount = new Uint8Array(count);
  const seen = new Int32Array(count);
  const queue = new Int32Array(count);
  let walk = 0;
  for (const start of graph.direct) {
    walk++;
    const label = labelOf(start);
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = walk;
    while (head < tail) {
      const node = queue[head++]!;
      for (const next of graph.edges[node]!) {
        if (seen[next] === walk) continue;
        seen[next] = walk;
        if (labelCount[next]! >= MAX_REQUIRED_BY) continue;
        const own = (labels[next] ??= []);
        if (!own.includes(label)) labelCount[next] = own.push(label);
        queue[tail++] = next;
      }
    }
  }
  return labels;
}

// ---- Dependency records ----

interface Identity {
  readonly name: string;
  readonly version?: string;
  readonly source?: DependencySource;
  readonly resolved?: string;
}

function toDependencies(nodes: readonly LockNode[], projects: readonly Project[], options: ParseOptions): Dependency[] {
  const graph = buildGraph(nodes, projects);
  const identities = nodes.map((node, i) => (node.link ? undefined : identify(node, graph.declaredSources.get(i))));
  // `requiredBy` only serves messages: a side that is only compared does without it.
  const labels = options.compareOnly ? [] : requiredByLabels(graph, (i) => identities[i]!.name, nodes.length);
  const isDirect = new Uint8Array(nodes.length);
  for (const i of graph.direct) isDirect[i] = 1;
  const dependencies: Dependency[] = [];
  nodes.forEach((node, i) => {
    const identity = identities[i];
    if (identity) dependencies.push(toDependency(node, identity, isDirect[i] === 1, isDirect[i] ? undefined : labels[i]));
  });
  return dependencies;
}

/** Name, version and source: what the entry is, and the shape checks that decide it. */
function identify(node: LockNode, declaredSource: DependencySource | undefined): Identity {
  const { entry, line, where } = node;
  const written = optionalString(entry, "version", where, line);
  const resolved = optionalString(entry, "resolved", where, line);
  let name = (node.v1 ? undefined : optionalString(entry, "name", where, line)) ?? node.installedName;
  let version: string | undefined;
  let source = resolvedSource(resolved) ?? declaredSource;
  if (written !== undefined) {
    const spec = PLAIN_VERSION.test(written) ? ({ kind: "version", version: written } as const) : classifyNpmSpec(written);
    const registryTarball = node.v1 && spec.kind === "url" ? registryTarballVersion(written, name) : undefined;
    if (spec.kind === "version") version = spec.version;
    else if (registryTarball !== undefined && !source) {
      version = registryTarball;
      return { name, version, resolved: resolved ?? written };
    } else if (spec.kind === "alias" && node.v1 && spec.target.kind === "version") {
      name = spec.name;
      version = spec.target.version;
    } else if (spec.kind === "git" || spec.kind === "url" || spec.kind === "file") source ??= { kind: spec.kind, spec: written };
    else throw new DependencyParseError(`${where}.version: not a version: ${JSON.stringify(clip(written))}`, line);
  }
  // A git, tarball or path package is not the registry's package of that name and version: it
  // must not be looked up as one.
  if (source) return { name, source, resolved };
  if (version === undefined) throw new DependencyParseError(`${where}: registry package without a "version"`, line);
  return { name, version, resolved };
}

/** `https://host/@scope/name/-/name-1.2.3.tgz` -> `1.2.3` when it names the package `name`. */
function registryTarballVersion(url: string, name: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
  const bare = name.slice(name.indexOf("/") + 1);
  const prefix = `/${name}/-/${bare}-`;
  if (!pathname.startsWith(prefix) || !pathname.endsWith(".tgz")) return undefined;
  const version = pathname.slice(prefix.length, -".tgz".length);
  return PLAIN_VERSION.test(version) ? version : undefined;
}

function resolvedSource(resolved: string | undefined): DependencySource | undefined {
  if (resolved === undefined) return undefined;
  if (/^git(?:\+|:|@)/i.test(resolved)) return { kind: "git", spec: resolved };
  if (/^file:/i.test(resolved)) return { kind: "file", spec: resolved };
  return undefined;
}

function toDependency(node: LockNode, identity: Identity, direct: boolean, requiredBy: readonly string[] | undefined): Dependency {
  const { entry, line, location, where } = node;
  const { name, version, source, resolved } = identity;
  // Built field by field rather than with conditional spreads: this runs once per package of
  // lockfiles with tens of thousands, and the spreads' temporary objects showed in profiles.
  const dependency: Mutable<Dependency> = { ecosystem: "npm", name, line, direct };
  if (version !== undefined) dependency.version = version;
  if (source) {
    dependency.unpinned = unpinnedReason(source);
    dependency.source = source;
  }
  if (entry.dev === true || entry.devOptional === true) dependency.dev = true;
  if (name !== node.installedName) dependency.declaredName = node.installedName;
  if (resolved !== undefined) dependency.resolved = resolved;
  const integrity = optionalString(entry, "integrity", where, line);
  const bundled = entry.inBundle === true || entry.bundled === true;
  if (integrity !== undefined) dependency.integrity = integrity;
  else if (!bundled && !source) dependency.integrity = "";
  if (entry.hasInstallScript === true) dependency.hasInstallScript = true;
  // The workspace (or linked project) folder whose own node_modules holds it.
  if (!node.v1 && !location.startsWith("node_modules/")) dependency.scope = location.slice(0, location.indexOf("/node_modules/"));
  if (requiredBy && requiredBy.length > 0) dependency.requiredBy = requiredBy;
  return dependency;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// ---- Shape checks ----

function optionalString(entry: Json, field: string, where: string, line: number): string | undefined {
  const value = entry[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new DependencyParseError(`${where}.${field}: expected a string, got ${describeValue(value)}`, line);
  return value;
}
