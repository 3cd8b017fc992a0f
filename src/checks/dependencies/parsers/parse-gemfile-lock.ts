/**
 * `Gemfile.lock` / `gems.locked`: Bundler's own line format, read the way Bundler's LockfileParser
 * reads it (sections by unindented headers, meaning by indentation).
 *
 * - Source sections (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`) have two-space `key: value` lines and a
 *   `specs:` list: four spaces `name (version[-platform])` is a locked gem, six spaces is one of its
 *   requirements (not a dependency of its own: it is locked elsewhere in the list).
 * - Bundler splits `version-platform` at the first `-` (gem versions never hold one: `1.0-beta` is
 *   stored as `1.0.pre.beta`), so `nokogiri (1.13.8-x86_64-linux)` is nokogiri 1.13.8; one gem
 *   locked for several platforms is one dependency, on the line of its first entry.
 * - `DEPENDENCIES` lists what the Gemfile declares (`!` marks a git/path source): those are direct.
 * - `CHECKSUMS` (Bundler 2.5+) gives registry gems an integrity; without the section Bundler did not
 *   record any, so integrity stays unknown rather than "missing".
 * - Unknown sections are skipped with a warning, as Bundler skips them; malformed lines inside the
 *   known ones are errors.
 */
import { baseName } from "./file-name.js";
import { DependencyParseError, type Dependency, type DependencyFormat, type DependencySource, type ParsedDependencyFile } from "../model.js";

const SOURCE_SECTIONS = new Set(["GEM", "GIT", "PATH", "PLUGIN SOURCE"]);
const OTHER_SECTIONS = new Set(["PLATFORMS", "DEPENDENCIES", "CHECKSUMS", "RUBY VERSION", "BUNDLED WITH"]);

const SOURCE_OPTION = /^ {2}([a-z_]+):(?: (.*))?$/;
const SPEC = /^ {4}([^\s()!]+) \(([^()\s]+)\)$/;
const SPEC_REQUIREMENT = /^ {6}([^\s()!]+)(?: \(([^()]*)\))?$/;
const DECLARED = /^ {2}([^\s()!]+)(?: \(([^()]*)\))?(!)?$/;
const CHECKSUM = /^ {2}([^\s()!]+) \(([^()\s]+)\)(?: (\S+))?$/;
const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(\s|$)/;

export const gemfileLockFormat: DependencyFormat = {
  id: "gemfile-lock",
  files: "Gemfile.lock, gems.locked",
  ecosystem: "RubyGems",
  kind: "lockfile",
  matches: (path) => ["Gemfile.lock", "gems.locked"].includes(baseName(path)),
  parse: parseGemfileLock,
};

interface LockedGem {
  readonly name: string;
  readonly version: string;
  readonly line: number;
  readonly source?: DependencySource;
}

interface SourceSection {
  readonly type: string;
  readonly line: number;
  readonly options: Map<string, string>;
  inSpecs: boolean;
  /** The gem the six-space requirement lines belong to. */
  lastSpecLine?: number;
  readonly gems: { name: string; version: string; line: number }[];
}

interface Checksum {
  readonly value: string;
  readonly platform: boolean;
}

function parseGemfileLock(text: string): ParsedDependencyFile {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = source.split(/\r?\n/);
  const sections: SourceSection[] = [];
  const declared = new Map<string, string | undefined>();
  const checksums = new Map<string, Checksum>();
  const warnings: string[] = [];
  let hasChecksums = false;
  let section: string | undefined;
  let current: SourceSection | undefined;
  let sawHeader = false;

  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const raw = lines[index]!;
    if (raw.trim() === "") continue;
    if (CONFLICT_MARKER.test(raw)) throw new DependencyParseError(`merge conflict marker at line ${line}`, line);
    if (raw.includes("\t")) throw new DependencyParseError(`tab in line ${line} (Gemfile.lock indents with spaces)`, line);
    if (!raw.startsWith(" ")) {
      sawHeader = true;
      section = raw.trimEnd();
      current = undefined;
      if (SOURCE_SECTIONS.has(section)) {
        current = { type: section, line, options: new Map(), inSpecs: false, gems: [] };
        sections.push(current);
      } else if (section === "CHECKSUMS") {
        hasChecksums = true;
      } else if (!OTHER_SECTIONS.has(section)) {
        warnings.push(`unknown section "${section}" at line ${line} skipped`);
      }
      continue;
    }
    if (!sawHeader) throw new DependencyParseError(`indented line ${line} before any section`, line);
    if (current) readSourceLine(current, raw, line);
    else if (section === "DEPENDENCIES") readDeclared(declared, raw, line);
    else if (section === "CHECKSUMS") readChecksum(checksums, raw, line);
    // PLATFORMS, RUBY VERSION, BUNDLED WITH and unknown sections hold nothing to look up.
  }
  if (!sawHeader) throw new DependencyParseError("not a Gemfile.lock: no sections (GEM, DEPENDENCIES, …)", 1);

  const dependencies = lockedGems(sections).map((gem) => toDependency(gem, declared, hasChecksums ? checksums : undefined));
  return { ecosystem: "RubyGems", kind: "lockfile", dependencies, ...(warnings.length > 0 ? { warnings } : {}) };
}

function readSourceLine(section: SourceSection, raw: string, line: number): void {
  if (section.inSpecs) {
    const spec = SPEC.exec(raw);
    if (spec) {
      section.gems.push({ name: spec[1]!, version: spec[2]!, line });
      section.lastSpecLine = line;
      return;
    }
    if (SPEC_REQUIREMENT.test(raw)) {
      if (section.lastSpecLine === undefined) throw new DependencyParseError(`requirement at line ${line} belongs to no gem`, line);
      return;
    }
  }
  const option = SOURCE_OPTION.exec(raw);
  if (option && !section.inSpecs) {
    if (option[1] === "specs") section.inSpecs = true;
    else section.options.set(option[1]!, option[2] ?? "");
    return;
  }
  throw new DependencyParseError(`malformed line ${line} in the ${section.type} section (section at line ${section.line}): ${JSON.stringify(raw.trim().slice(0, 80))}`, line);
}

function readDeclared(declared: Map<string, string | undefined>, raw: string, line: number): void {
  const match = DECLARED.exec(raw);
  if (!match) throw new DependencyParseError(`malformed line ${line} in DEPENDENCIES: ${JSON.stringify(raw.trim().slice(0, 80))}`, line);
  declared.set(match[1]!, match[2]);
}

function readChecksum(checksums: Map<string, Checksum>, raw: string, line: number): void {
  const match = CHECKSUM.exec(raw);
  if (!match) throw new DependencyParseError(`malformed line ${line} in CHECKSUMS: ${JSON.stringify(raw.trim().slice(0, 80))}`, line);
  const { version, platform } = splitPlatform(match[2]!);
  const key = gemKey(match[1]!, version);
  const known = checksums.get(key);
  // Platform builds have checksums of their own; the plain Ruby gem's stands for the version when there is one.
  if (!known || (known.platform && !platform)) checksums.set(key, { value: match[3] ?? "", platform: platform !== undefined });
}

/** One record per gem and version, in file order, platform variants folded into the first. */
function lockedGems(sections: readonly SourceSection[]): LockedGem[] {
  const seen = new Set<string>();
  const gems: LockedGem[] = [];
  for (const section of sections) {
    const source = sourceOf(section);
    for (const gem of section.gems) {
      const { version } = splitPlatform(gem.version);
      const key = gemKey(gem.name, version);
      if (seen.has(key)) continue;
      seen.add(key);
      gems.push({ name: gem.name, version, line: gem.line, ...(source ? { source } : {}) });
    }
  }
  return gems;
}

function sourceOf(section: SourceSection): DependencySource | undefined {
  const remote = section.options.get("remote") ?? "";
  if (section.type === "GIT") {
    const revision = section.options.get("revision");
    return { kind: "git", spec: revision ? `${remote}#${revision}` : remote };
  }
  if (section.type === "PATH") return { kind: "file", spec: remote };
  if (section.type === "PLUGIN SOURCE") return { kind: "url", spec: remote };
  return undefined;
}

function toDependency(gem: LockedGem, declared: ReadonlyMap<string, string | undefined>, checksums: ReadonlyMap<string, Checksum> | undefined): Dependency {
  const requirement = declared.get(gem.name);
  const integrity = checksums && !gem.source ? (checksums.get(gemKey(gem.name, gem.version))?.value ?? "") : undefined;
  return {
    ecosystem: "RubyGems",
    name: gem.name,
    version: gem.version,
    line: gem.line,
    direct: declared.has(gem.name),
    ...(requirement ? { requirement } : {}),
    ...(gem.source ? { source: gem.source } : {}),
    ...(integrity !== undefined ? { integrity } : {}),
  };
}

/** Bundler's split: everything after the first `-` is the platform. */
function splitPlatform(written: string): { version: string; platform?: string } {
  const dash = written.indexOf("-");
  return dash === -1 ? { version: written } : { version: written.slice(0, dash), platform: written.slice(dash + 1) };
}

function gemKey(name: string, version: string): string {
  return `${name}\u0000${version}`;
}
