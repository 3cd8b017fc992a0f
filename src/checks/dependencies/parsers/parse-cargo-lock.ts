/**
 * `Cargo.lock`: TOML with one `[[package]]` table per crate and version. Format facts:
 *
 * - A package without `source` is a workspace member or a path dependency: the project's own
 *   code, not a dependency. The crates those list in `dependencies` are the direct ones (entries
 *   are `name`, `name version` or `name version (source)`, as much as it takes to be unambiguous).
 * - `registry+https://github.com/rust-lang/crates.io-index` and `sparse+https://index.crates.io/`
 *   are crates.io. Another registry (`registry+…`/`sparse+…`: a company's Artifactory, Cloudsmith,
 *   Kellnr) is still a registry, with checksums: its index URL becomes `resolved`, so the host is
 *   judged against `allowed_hosts` (untrusted-resolved-host) rather than every crate of it being
 *   called a URL download. A `git+…#commit` is a `git` source.
 * - One crate at several versions is several packages, so several dependencies.
 * - Lockfiles from v2 on keep `checksum` in the package: a registry crate without one is recorded
 *   as `""`. v1 lockfiles keep them in `[metadata]` under `"checksum name version (source)"`; there
 *   a missing one is the format, not a sign, so integrity stays unknown. Git crates have none.
 *
 * Values come from smol-toml, `[[package]]` header lines from the shared scanner in toml-lines.ts.
 */
import { baseName } from "./file-name.js";
import { isTomlTable, parseTomlWithLines } from "./toml-lines.js";
import { DependencyParseError, type Dependency, type DependencyFormat, type DependencySource, type ParsedDependencyFile } from "../model.js";

const CRATES_IO_SOURCES = new Set(["registry+https://github.com/rust-lang/crates.io-index", "sparse+https://index.crates.io/"]);
const REGISTRY_PREFIX = /^(?:registry|sparse)\+/;
const KNOWN_LOCK_VERSIONS = new Set([1, 2, 3, 4]);

export const cargoLockFormat: DependencyFormat = {
  id: "cargo-lock",
  files: "Cargo.lock",
  ecosystem: "crates.io",
  kind: "lockfile",
  matches: (path) => baseName(path) === "Cargo.lock",
  parse: parseCargoLock,
};

interface LockedCrate {
  readonly name: string;
  readonly version: string;
  readonly source?: string;
  readonly checksum?: string;
  readonly dependencies: readonly string[];
  readonly line: number;
}

function parseCargoLock(text: string): ParsedDependencyFile {
  const toml = parseTomlWithLines(text, { keys: false });
  const root = toml.value;
  const warnings: string[] = [];
  if (root.version !== undefined && !KNOWN_LOCK_VERSIONS.has(Number(root.version))) {
    warnings.push(`lockfile version ${String(root.version)} is newer than this parser knows (1 to 4); read as version 4`);
  }
  const packages = root.package ?? [];
  if (!Array.isArray(packages)) {
    const line = toml.lineOf(["package"]) ?? 1;
    throw new DependencyParseError(`"package" at line ${line} must be [[package]] tables`, line);
  }
  const crates = packages.map((table, index) => toCrate(table, toml.lineOf(["package", index]) ?? 1));
  // Cargo before 1.0 wrote the root crate as `[root]` (no source: the project's own, like a workspace member).
  if (isTomlTable(root.root)) crates.push(toCrate(root.root, toml.lineOf(["root"]) ?? 1));

  const metadataChecksums = v1Checksums(root.metadata);
  const direct = directKeys(crates);
  const dependencies = crates.filter((crate) => crate.source !== undefined).map((crate) => toDependency(crate, direct, metadataChecksums));
  return { ecosystem: "crates.io", kind: "lockfile", dependencies, ...(warnings.length > 0 ? { warnings } : {}) };
}

function toCrate(table: unknown, line: number): LockedCrate {
  if (!isTomlTable(table) || typeof table.name !== "string" || table.name === "" || typeof table.version !== "string" || table.version === "") {
    throw new DependencyParseError(`[[package]] at line ${line} needs a "name" and a "version" string`, line);
  }
  const { source, checksum, dependencies = [] } = table;
  if (source !== undefined && typeof source !== "string") throw new DependencyParseError(`[[package]] at line ${line}: "source" must be a string`, line);
  if (checksum !== undefined && typeof checksum !== "string") throw new DependencyParseError(`[[package]] at line ${line}: "checksum" must be a string`, line);
  if (!Array.isArray(dependencies) || !dependencies.every((d) => typeof d === "string")) {
    throw new DependencyParseError(`[[package]] at line ${line}: "dependencies" must be an array of strings`, line);
  }
  return { name: table.name, version: table.version, source, checksum, dependencies: dependencies as string[], line };
}

/**
 * The crates the workspace's own packages depend on, as keys `name`, `name version` and
 * `name version (source)` so that each reference form finds them.
 */
function directKeys(crates: readonly LockedCrate[]): Set<string> {
  const keys = new Set<string>();
  for (const crate of crates) {
    if (crate.source !== undefined) continue;
    for (const reference of crate.dependencies) keys.add(reference.trim());
  }
  return keys;
}

function isDirect(crate: LockedCrate, direct: ReadonlySet<string>): boolean {
  return direct.has(crate.name) || direct.has(`${crate.name} ${crate.version}`) || direct.has(`${crate.name} ${crate.version} (${crate.source})`);
}

/** v1's `[metadata]` `"checksum name version (source)" = "hex"`, or undefined when the file has none. */
function v1Checksums(metadata: unknown): Map<string, string> | undefined {
  if (!isTomlTable(metadata)) return undefined;
  const checksums = new Map<string, string>();
  for (const [key, value] of Object.entries(metadata)) {
    if (key.startsWith("checksum ") && typeof value === "string") checksums.set(key.slice("checksum ".length), value);
  }
  return checksums.size > 0 ? checksums : undefined;
}

function toDependency(crate: LockedCrate, direct: ReadonlySet<string>, metadataChecksums: ReadonlyMap<string, string> | undefined): Dependency {
  const source = sourceOf(crate.source!);
  const fromRegistry = !crate.source!.startsWith("git+");
  const resolved = otherRegistryIndex(crate.source!);
  let integrity: string | undefined;
  if (crate.checksum !== undefined) integrity = crate.checksum;
  else if (metadataChecksums) integrity = metadataChecksums.get(`${crate.name} ${crate.version} (${crate.source})`);
  else if (fromRegistry) integrity = "";
  return {
    ecosystem: "crates.io",
    name: crate.name,
    version: crate.version,
    line: crate.line,
    direct: isDirect(crate, direct),
    ...(source ? { source } : {}),
    ...(resolved !== undefined ? { resolved } : {}),
    ...(integrity !== undefined ? { integrity } : {}),
  };
}

function sourceOf(written: string): DependencySource | undefined {
  if (CRATES_IO_SOURCES.has(written) || REGISTRY_PREFIX.test(written)) return undefined;
  return { kind: written.startsWith("git+") ? "git" : "url", spec: written };
}

/** The index URL of a registry other than crates.io (`sparse+https://cargo.acme.example/index/` -> `https://cargo.acme.example/index/`). */
function otherRegistryIndex(written: string): string | undefined {
  if (CRATES_IO_SOURCES.has(written)) return undefined;
  const match = REGISTRY_PREFIX.exec(written);
  return match ? written.slice(match[0].length) : undefined;
}
