/**
 * Yarn Berry (v2+) `yarn.lock`: "syml", a YAML subset, read with `@yarnpkg/parsers` (Yarn's own
 * reader; js-yaml with the failsafe schema, so every value is a string and aliases are shared
 * references, never expanded copies). Entry lines come from scanning the unindented keys.
 *
 * - A key lists descriptors (`"lodash@npm:^4.17.15, lodash@npm:^4.17.20":`); `resolution` names
 *   what was installed (`lodash@npm:4.17.21`), so the name comes from there: `x@npm:lodash@4.17.15`
 *   resolves to lodash, written as x.
 * - `__metadata`, workspaces (`my-app@workspace:.`), `link:` and `portal:` entries are the project's
 *   own folders, not packages: skipped.
 * - `patch:` entries (Yarn's builtin compat patches of `resolve`, `typescript`, `fsevents`, and
 *   `yarn patch`) wrap another locator (`resolve@patch:resolve@npm%3A1.22.1#…`): they are that
 *   package and version again, so each name and version is reported once, on the unpatched entry's
 *   line when there is one.
 * - `checksum` is the integrity (Yarn's cache checksum, `10c0/<sha512 hex>`, not SRI); registry and
 *   URL entries without one get `""`. Git and `file:` entries have nothing to hold one against, and
 *   neither do entries with `conditions` (`os=aix & cpu=ppc64`, the platform binaries of esbuild,
 *   swc, rolldown…): Yarn does not fetch a package for another platform, so it writes no checksum
 *   for it (every real Berry lockfile has dozens); integrity stays unknown there, not `""`.
 *   Berry records no download URL: `resolved` stays undefined.
 * - `direct` cannot be known from the lockfile alone (workspace entries list ranges, not
 *   resolutions): false throughout; the check marks direct ones from package.json.
 */
import type * as YarnParsers from "@yarnpkg/parsers";
import { lazyRequire } from "../../../core/lazy-require.js";
import { DependencyParseError, type Dependency, type DependencySource, type ParsedDependencyFile } from "../model.js";
import { isObject } from "./json-shape.js";
import { aliasName, entryHeaders, splitDescriptor, unquote } from "./yarn-lock-keys.js";

const yarnParsers = lazyRequire<typeof YarnParsers>("@yarnpkg/parsers");

const DESCRIPTOR_SEPARATOR = / *, */;
const PROJECT_FOLDER = /^(?:workspace|link|portal):/;
const GIT_REFERENCE = /^(?:git\+[a-z]+:|git:|ssh:|git@|github:|gitlab:|bitbucket:)|#commit=/i;
const MAX_PATCH_DEPTH = 5;

interface Locator {
  readonly name: string;
  readonly reference: string;
}

interface BerryRecord {
  readonly dependency: Dependency;
  readonly patched: boolean;
}

type Installed = { readonly kind: "project" } | { readonly kind: "package"; readonly locator: Locator; readonly patched: boolean };

export function parseYarnBerryLock(source: string, lines: readonly string[]): ParsedDependencyFile {
  const object = parseWithLibrary(source);
  const lineOfKey = new Map<string, number>();
  for (const header of entryHeaders(lines)) {
    const key = unquote(header.raw);
    if (key !== undefined && !lineOfKey.has(key)) lineOfKey.set(key, header.line);
  }
  const warnings: string[] = [];
  const records: BerryRecord[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key === "__metadata") continue;
    let line = lineOfKey.get(key);
    if (line === undefined) {
      warnings.push(`could not find the line of entry ${JSON.stringify(key.slice(0, 100))}; it is reported on line 1`);
      line = 1;
    }
    const record = readEntry(key, value, line, warnings);
    if (record) records.push(record);
  }
  const dependencies = onePerPackage(records).sort((a, b) => a.line - b.line);
  return { ecosystem: "npm", kind: "lockfile", dependencies, ...(warnings.length > 0 ? { warnings } : {}) };
}

function parseWithLibrary(source: string): Record<string, unknown> {
  try {
    return yarnParsers().parseSyml(source);
  } catch (error) {
    const mark = (error as { mark?: { line?: unknown; column?: unknown } }).mark;
    const reason = (error as { reason?: unknown }).reason;
    const what = typeof reason === "string" ? reason : error instanceof Error ? error.message.split("\n")[0]! : String(error);
    if (typeof mark?.line === "number" && typeof mark.column === "number") {
      const line = mark.line + 1;
      throw new DependencyParseError(`invalid yarn.lock at line ${line}, column ${mark.column + 1}: ${what}`, line);
    }
    throw new DependencyParseError(`invalid yarn.lock: ${what}`);
  }
}

function readEntry(key: string, fields: unknown, line: number, warnings: string[]): BerryRecord | undefined {
  const label = JSON.stringify(key.slice(0, 100));
  if (!isObject(fields)) throw new DependencyParseError(`entry ${label} at line ${line} is not a package block`, line);
  const resolution = fields.resolution;
  if (typeof resolution !== "string") throw new DependencyParseError(`entry ${label} at line ${line} has no resolution`, line);
  const installed = installedPackage(resolution, line);
  if (installed.kind === "project") return undefined;

  const version = fields.version;
  if (typeof version !== "string" || version === "") throw new DependencyParseError(`entry ${label} at line ${line} has no version`, line);
  const checksum = fields.checksum;
  if (checksum !== undefined && typeof checksum !== "string") throw new DependencyParseError(`entry ${label} at line ${line}: checksum is not a string`, line);

  const { locator } = installed;
  const source = sourceOf(locator, label, line, warnings);
  const platformOnly = typeof fields.conditions === "string" && fields.conditions.trim() !== "";
  const expectsIntegrity = (!source || source.kind === "url") && !platformOnly;
  const declaredName = aliasName(key.split(DESCRIPTOR_SEPARATOR).map((d) => splitDescriptor(d.trim()).name), locator.name);
  const dependency: Dependency = {
    ecosystem: "npm",
    name: locator.name,
    version,
    line,
    direct: false,
    ...(declaredName ? { declaredName } : {}),
    ...(source ? { source } : {}),
    ...(checksum !== undefined ? { integrity: checksum } : expectsIntegrity ? { integrity: "" } : {}),
  };
  return { dependency, patched: installed.patched };
}

/** What a resolution installs: a project folder, or a package (unwrapped from any `patch:`). */
function installedPackage(resolution: string, line: number): Installed {
  let locator = parseLocator(resolution, line);
  let patched = false;
  for (let depth = 0; locator.reference.startsWith("patch:"); depth++) {
    if (depth === MAX_PATCH_DEPTH) throw new DependencyParseError(`resolution at line ${line} nests patch: more than ${MAX_PATCH_DEPTH} deep`, line);
    const inner = locator.reference.slice("patch:".length).split("#")[0]!;
    let decoded: string;
    try {
      decoded = decodeURIComponent(inner);
    } catch {
      throw new DependencyParseError(`resolution at line ${line} has a malformed patch: locator`, line);
    }
    locator = parseLocator(decoded, line);
    patched = true;
  }
  return PROJECT_FOLDER.test(locator.reference) ? { kind: "project" } : { kind: "package", locator, patched };
}

function parseLocator(text: string, line: number): Locator {
  const { name, range } = splitDescriptor(text);
  if (name === "" || range === "") throw new DependencyParseError(`resolution at line ${line} is not name@reference`, line);
  return { name, reference: range };
}

function sourceOf(locator: Locator, label: string, line: number, warnings: string[]): DependencySource | undefined {
  const { reference } = locator;
  if (reference.startsWith("npm:")) return undefined;
  if (GIT_REFERENCE.test(reference)) return { kind: "git", spec: reference };
  if (/^https?:/i.test(reference)) return { kind: "url", spec: reference };
  if (/^(?:file|exec):/.test(reference)) return { kind: "file", spec: reference };
  const protocol = /^[a-z][a-z0-9+.-]*:/i.exec(reference)?.[0] ?? reference.slice(0, 20);
  warnings.push(`entry ${label} at line ${line} uses an unknown protocol (${protocol}); it is treated as a registry package`);
  return undefined;
}

/** Unpatched entries first, so a patched package keeps the line and checksum of the package itself. */
function onePerPackage(records: readonly BerryRecord[]): Dependency[] {
  const seen = new Set<string>();
  const dependencies: Dependency[] = [];
  for (const record of [...records.filter((r) => !r.patched), ...records.filter((r) => r.patched)]) {
    const key = `${record.dependency.name}\u0000${record.dependency.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    dependencies.push(record.dependency);
  }
  return dependencies;
}
