/**
 * package.json: what the project itself asks npm to install. Only an exact version can be looked
 * up; ranges, tags, git, URL and path specs are reported as unpinned (the lockfile, when there is
 * one, has the versions).
 *
 * Format facts: `dependencies`, `devDependencies` and `optionalDependencies` are installed.
 * `peerDependencies` are a requirement on the consumer and `bundleDependencies` a list of names
 * already counted in the others, so neither is read. A name in several sections is installed once:
 * `optionalDependencies` overrides `dependencies` (npm's documented rule), and a production entry
 * wins over a dev one, so each name is reported once. `workspace:` specs name sibling packages of the
 * monorepo, not registry packages. Files under `node_modules/` are installed packages, not the
 * project's manifests.
 */
import { DependencyParseError, type Dependency, type DependencyFormat, type ParsedDependencyFile } from "../model.js";
import { baseName } from "./file-name.js";
import { describeValue, isObject } from "./json-shape.js";
import { parseJsonWithLines, type JsonWithLines } from "./json-with-lines.js";
import { classifyNpmSpec, pinnedVersion, unpinnedReason } from "./npm-spec.js";

/** Highest precedence first: the first section that names a package decides how it is installed. */
const SECTIONS = [
  { key: "optionalDependencies", dev: false },
  { key: "dependencies", dev: false },
  { key: "devDependencies", dev: true },
] as const;

export const packageJsonFormat: DependencyFormat = {
  id: "package-json",
  files: "package.json",
  ecosystem: "npm",
  kind: "manifest",
  matches: (path) => baseName(path) === "package.json" && !/(?:^|\/)node_modules\//.test(path),
  parse: parsePackageJson,
};

function parsePackageJson(text: string): ParsedDependencyFile {
  const json = parseJsonWithLines(text, 2);
  const manifest = json.value;
  if (!isObject(manifest)) throw new DependencyParseError("package.json is not a JSON object", 1);
  const seen = new Set<string>();
  const found: { dependency: Dependency; order: number }[] = [];
  for (const section of SECTIONS) {
    for (const [key, spec] of sectionEntries(manifest, section.key, json)) {
      const line = json.lineOf([section.key, key]) ?? json.lineOf([section.key]) ?? 1;
      if (typeof spec !== "string") throw new DependencyParseError(`${section.key}.${key}: expected a version string, got ${describeValue(spec)}`, line);
      if (seen.has(key)) continue;
      seen.add(key);
      const dependency = toDependency(key, spec, line, section.dev);
      if (dependency) found.push({ dependency, order: line });
    }
  }
  // Sections are read by precedence; report in file order.
  found.sort((a, b) => a.order - b.order);
  return { ecosystem: "npm", kind: "manifest", dependencies: found.map((f) => f.dependency) };
}

function sectionEntries(manifest: Record<string, unknown>, key: string, json: JsonWithLines): [string, unknown][] {
  const section = manifest[key];
  if (section === undefined) return [];
  if (!isObject(section)) throw new DependencyParseError(`${key}: expected an object of name: version, got ${describeValue(section)}`, json.lineOf([key]) ?? 1);
  return Object.entries(section);
}

function toDependency(key: string, requirement: string, line: number, dev: boolean): Dependency | undefined {
  const spec = classifyNpmSpec(requirement);
  if (spec.kind === "workspace") return undefined;
  const name = spec.kind === "alias" ? spec.name : key;
  const version = pinnedVersion(spec);
  const sourceKind = spec.kind === "git" || spec.kind === "url" || spec.kind === "file" ? spec.kind : undefined;
  return {
    ecosystem: "npm",
    name,
    ...(version !== undefined ? { version } : { unpinned: unpinnedReason(spec) }),
    line,
    direct: true,
    ...(dev ? { dev: true } : {}),
    ...(name !== key ? { declaredName: key } : {}),
    requirement,
    ...(sourceKind ? { source: { kind: sourceKind, spec: requirement } } : {}),
  };
}
