/**
 * `composer.lock`: JSON with every installed package in `packages` (runtime) and `packages-dev`
 * (`require-dev` and what only it pulls in). Format facts:
 *
 * - Versions are as tagged: `v1.2.3` is 1.2.3 (OSV's Packagist versions carry no `v`). Branches
 *   (`dev-main`, `2.x-dev`) are moving targets with no release to look up: unpinned.
 * - `dist.type: "path"` is a path repository (a local folder); a package with only a `source`
 *   (installed from a VCS clone) is a git/hg/svn source; anything else came from a Composer
 *   repository (Packagist or a mirror), whose archive URL is `resolved`.
 * - `dist.shasum` is usually empty: Packagist's GitHub archives have none, and Composer pins them by
 *   `reference` instead. So only a non-empty shasum becomes `integrity`; an empty one is not a
 *   missing integrity worth reporting.
 *
 * Known limit: the lockfile does not say which packages `composer.json` requires. A package no
 * other locked package requires must be a root requirement, so those are `direct`; a root
 * requirement that another package also requires is reported as transitive.
 */
import { baseName } from "./file-name.js";
import { isObject } from "./json-shape.js";
import { parseJsonWithLines, type JsonWithLines } from "./json-with-lines.js";
import { DependencyParseError, type Dependency, type DependencyFormat, type DependencySource, type ParsedDependencyFile } from "../model.js";

const LISTS = [
  { key: "packages", dev: false },
  { key: "packages-dev", dev: true },
] as const;

export const composerLockFormat: DependencyFormat = {
  id: "composer-lock",
  files: "composer.lock",
  ecosystem: "Packagist",
  kind: "lockfile",
  matches: (path) => baseName(path) === "composer.lock",
  parse: parseComposerLock,
};

interface LockedPackage {
  readonly name: string;
  readonly version: string;
  readonly line: number;
  readonly dev: boolean;
  readonly entry: Record<string, unknown>;
}

function parseComposerLock(text: string): ParsedDependencyFile {
  const json = parseJsonWithLines(text, 2);
  if (!isObject(json.value)) throw new DependencyParseError("composer.lock is not a JSON object", 1);
  const root = json.value;
  const packages = LISTS.flatMap(({ key, dev }) => lockedPackages(json, root, key, dev));
  const required = requiredByOthers(packages);
  const dependencies = packages.map((pkg) => toDependency(pkg, !required.has(pkg.name.toLowerCase())));
  return { ecosystem: "Packagist", kind: "lockfile", dependencies };
}

function lockedPackages(json: JsonWithLines, root: Record<string, unknown>, key: string, dev: boolean): LockedPackage[] {
  const list = root[key];
  // Composer writes `"packages-dev": null` after `install --no-dev` in old versions.
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    const line = json.lineOf([key]) ?? 1;
    throw new DependencyParseError(`"${key}" at line ${line} is not an array`, line);
  }
  return list.map((entry: unknown, index) => {
    const line = json.lineOf([key, index]) ?? json.lineOf([key]) ?? 1;
    if (!isObject(entry) || typeof entry.name !== "string" || entry.name === "" || typeof entry.version !== "string" || entry.version === "") {
      throw new DependencyParseError(`package at line ${line} (${key}[${index}]) needs a "name" and a "version" string`, line);
    }
    return { name: entry.name, version: entry.version, line, dev, entry };
  });
}

/** Lowercased names that some locked package requires (Composer names are case-insensitive). */
function requiredByOthers(packages: readonly LockedPackage[]): Set<string> {
  const required = new Set<string>();
  for (const { name, entry } of packages) {
    if (!isObject(entry.require)) continue;
    for (const dependency of Object.keys(entry.require)) {
      if (dependency.toLowerCase() !== name.toLowerCase()) required.add(dependency.toLowerCase());
    }
  }
  return required;
}

function toDependency(pkg: LockedPackage, direct: boolean): Dependency {
  const base = { ecosystem: "Packagist" as const, name: pkg.name, line: pkg.line, direct, dev: pkg.dev };
  const source = sourceOf(pkg.entry);
  const dist = isObject(pkg.entry.dist) ? pkg.entry.dist : undefined;
  const registry = source
    ? {}
    : {
        ...(typeof dist?.url === "string" && dist.url !== "" ? { resolved: dist.url } : {}),
        ...(typeof dist?.shasum === "string" && dist.shasum !== "" ? { integrity: dist.shasum } : {}),
      };
  const branch = /^dev-|-dev$/.test(pkg.version);
  const version = branch ? { unpinned: `branch ${pkg.version}` } : { version: pkg.version.replace(/^[vV](?=\d)/, "") };
  return { ...base, ...version, ...(source ? { source } : {}), ...registry };
}

function sourceOf(entry: Record<string, unknown>): DependencySource | undefined {
  const dist = isObject(entry.dist) ? entry.dist : undefined;
  if (dist?.type === "path") return { kind: "file", spec: typeof dist.url === "string" ? dist.url : "" };
  if (dist) return undefined;
  const vcs = isObject(entry.source) ? entry.source : undefined;
  if (!vcs || typeof vcs.url !== "string") return undefined;
  const spec = typeof vcs.reference === "string" && vcs.reference !== "" ? `${vcs.url}#${vcs.reference}` : vcs.url;
  return { kind: vcs.type === "git" ? "git" : "url", spec };
}
