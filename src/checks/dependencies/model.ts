/**
 * The dependencies check's vocabulary. Every parser turns one manifest or lockfile into a
 * `ParsedDependencyFile`; the delta, the lookups and the rules only ever see `Dependency` records,
 * whatever format they came from.
 */

/** OSV ecosystem names: exact and case-sensitive, as OSV's API and exports spell them. */
export const ECOSYSTEMS = ["npm", "PyPI", "Go", "crates.io", "RubyGems", "Packagist", "Maven", "NuGet"] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/**
 * Where a dependency comes from when it is not a registry version: a git repository, an http(s)
 * tarball, a local path (`file:`, `link:`, a workspace or path dependency). Registry dependencies
 * have no `source`.
 */
export interface DependencySource {
  readonly kind: "git" | "url" | "file";
  /** As written in the file (may hold credentials: never put it in a message unredacted). */
  readonly spec: string;
}

export interface Dependency {
  readonly ecosystem: Ecosystem;
  /**
   * The name to look up, normalised per ecosystem: an npm alias (`"x": "npm:lodash@4.17.15"`) is
   * `lodash`; PyPI names per PEP 503 (lowercase, runs of `-_.` become `-`); Maven `groupId:artifactId`;
   * Go module paths and Cargo crate names as written.
   */
  readonly name: string;
  /**
   * The exact version installed or pinned, in the ecosystem's own spelling without decoration
   * (Composer `v1.2.3` is `1.2.3`; a Ruby platform gem `1.13.8-x86_64-linux` is `1.13.8`; a Go
   * version keeps its `v`). Undefined when the file does not pin one: see `unpinned`.
   */
  readonly version?: string;
  /** 1-based line of the file that declares this dependency (its key, entry header or requirement line). */
  readonly line: number;
  /** Declared by the project itself (a manifest entry, a lockfile's top-level/importer entry), not pulled in by another package. */
  readonly direct: boolean;
  /** Only for development (devDependencies, `develop`, `packages-dev`, `dev = true`, …). */
  readonly dev?: boolean;
  /** The name as written when it differs from `name` (an npm alias key, a PyPI name before normalising). */
  readonly declaredName?: string;
  /** The requirement as written in a manifest (`^4.17.15`, `>=2.0,<3`, `4.17.15`). */
  readonly requirement?: string;
  /** Why no exact version is known (`unpinned range ">=2"`, `URL requirement`): the dependency cannot be looked up. */
  readonly unpinned?: string;
  /** Set when the dependency does not come from the ecosystem's registry. */
  readonly source?: DependencySource;
  /** A lockfile's resolved download URL (npm `resolved`, yarn `resolved`, pnpm `tarball`, …). */
  readonly resolved?: string;
  /** A lockfile's integrity hash (SRI, checksum) when it records one; `""` when the entry has none. */
  readonly integrity?: string;
  /** The lockfile says this package runs install scripts (package-lock `hasInstallScript`, pnpm `requiresBuild`). */
  readonly hasInstallScript?: boolean;
  /**
   * Which part of a monorepo or build it belongs to, when the file has several (an npm workspace
   * folder, a pnpm importer, a NuGet target framework). Informational: the delta ignores it, so a
   * renamed workspace does not make its unchanged dependencies new.
   */
  readonly scope?: string;
  /** Direct dependencies that pull this one in, where the lockfile shows it (names only). */
  readonly requiredBy?: readonly string[];
}

export type DependencyFileKind = "manifest" | "lockfile";

export interface ParsedDependencyFile {
  readonly ecosystem: Ecosystem;
  readonly kind: DependencyFileKind;
  readonly dependencies: readonly Dependency[];
  /** Other files this one pulls in, as repository paths (`requirements.txt`'s `-r`/`-c` lines). */
  readonly includes?: readonly { readonly path: string; readonly line: number }[];
  /** Things the parser could not judge and the user should know (said in the report, never silence). */
  readonly warnings?: readonly string[];
}

/**
 * A manifest or lockfile that does not parse. The check makes it an error for that file, naming it
 * and the line; it never becomes "no dependencies".
 */
export class DependencyParseError extends Error {
  constructor(
    message: string,
    /** 1-based line where the problem is, when known. */
    readonly line?: number,
  ) {
    super(message);
    this.name = "DependencyParseError";
  }
}

export interface ParseOptions {
  /**
   * The file is only compared, never reported on (the base side of a delta): a parser may skip what
   * only reports need where that is cheaper on a 40 MB lockfile (lines, which may then all be 1;
   * `requiredBy`). What identifies an entry (name, version, source, resolved, integrity) must stay.
   * Syntax errors keep their lines either way.
   */
  readonly compareOnly?: boolean;
}

/** Parses one file's text. `path` is the repository path, for messages and relative includes only. */
export type DependencyParser = (text: string, path: string, options?: ParseOptions) => ParsedDependencyFile;

/** One supported file format. */
export interface DependencyFormat {
  /** Stable id used in docs and warnings: `package-lock`, `yarn-lock`, `requirements-txt`, … */
  readonly id: string;
  /** The file names people know it by, for docs: `package-lock.json, npm-shrinkwrap.json`. */
  readonly files: string;
  readonly ecosystem: Ecosystem;
  readonly kind: DependencyFileKind;
  /** Whether a repository path is this format (by its base name, sometimes its folder). */
  matches(path: string): boolean;
  readonly parse: DependencyParser;
}
