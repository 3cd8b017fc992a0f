/**
 * Synthetic package-lock.json v3 files for `npm run bench:deps`, shaped like what npm writes for a
 * real project: real popular package names (npm-high-impact), a root entry with direct and dev
 * dependencies, one entry per install folder with `version`, `resolved`, a real sha512 `integrity`,
 * `dev`/`optional` flags, `license`, `dependencies` maps naming packages that are in the file,
 * `engines`, `funding`, `bin`, `peerDependencies`, and nested `node_modules/a/node_modules/b`
 * copies at other majors. Keys sorted as npm sorts them, 2-space indent, trailing newline.
 *
 * Deterministic (seeded): the same options give the same bytes, so runs compare.
 */
import { createHash } from "node:crypto";
import { npmHighImpact } from "npm-high-impact";

export type LockEntry = Record<string, unknown>;

export interface LockModel {
  /** Install folder -> entry; `""` is the root project. */
  readonly packages: Map<string, LockEntry>;
}

export interface GenerateOptions {
  /** Entries besides the root, nested copies included. */
  readonly packages: number;
  /** Share of entries that are nested copies (`node_modules/a/node_modules/b`). */
  readonly nestedShare?: number;
  /** Mean size of each entry's `dependencies` map. */
  readonly dependenciesMean?: number;
  readonly seed?: number;
  /** Names to leave out (used elsewhere in the scenario). */
  readonly exclude?: ReadonlySet<string>;
  /** Names that must be present at the top level, with these versions. */
  readonly pinned?: ReadonlyMap<string, string>;
  /** Take names from this offset of the popular list (so two generated sets do not overlap). */
  readonly nameOffset?: number;
}

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LICENSES = ["MIT", "MIT", "MIT", "MIT", "MIT", "MIT", "ISC", "ISC", "Apache-2.0", "BSD-3-Clause", "BSD-2-Clause", "0BSD"];

export function tarballUrl(name: string, version: string, host = "https://registry.npmjs.org"): string {
  const bare = name.includes("/") ? name.slice(name.indexOf("/") + 1) : name;
  return `${host}/${name}/-/${bare}-${version}.tgz`;
}

function sha512Of(name: string, version: string): string {
  return `sha512-${createHash("sha512").update(`${name}@${version}`).digest("base64")}`;
}

/** A registry entry as npm writes it (field order included). */
export function registryEntry(name: string, version: string, fields: LockEntry = {}): LockEntry {
  return { version, resolved: tarballUrl(name, version), integrity: sha512Of(name, version), ...fields };
}

const SUFFIXES = ["utils", "plugin", "core", "compat", "lite"];

/** The popular names, minus exclusions, starting at `offset`; past the list's end, `<popular>-utils` and the like. */
export function popularNames(count: number, offset = 0, exclude: ReadonlySet<string> = new Set()): string[] {
  const all = npmHighImpact.filter((n) => !exclude.has(n));
  if (count > all.length * (SUFFIXES.length + 1)) throw new Error(`only ${all.length} popular names, asked for ${count}`);
  return Array.from({ length: count }, (_, i) => {
    const round = Math.floor(i / all.length);
    const name = all[(offset + i) % all.length]!;
    return round === 0 ? name : `${name}-${SUFFIXES[round - 1]!}`;
  });
}

export function generateLock(options: GenerateOptions): LockModel {
  const random = rng(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const nested = Math.round(options.packages * (options.nestedShare ?? 0.25));
  const pinned = options.pinned ?? new Map<string, string>();
  const exclude = new Set([...(options.exclude ?? []), ...pinned.keys()]);
  const topCount = options.packages - nested - pinned.size;
  const names = [...pinned.keys(), ...popularNames(topCount, options.nameOffset ?? 0, exclude)];
  const versionOf = new Map<string, string>();
  const version = (major?: number) => `${major ?? Math.floor(random() * 8)}.${Math.floor(random() * 30)}.${Math.floor(random() * 20)}`;
  for (const name of names) versionOf.set(name, pinned.get(name) ?? version());

  const depsMean = options.dependenciesMean ?? 6;
  const entries = new Map<string, LockEntry>();
  const dependencyMap = (self: string): Record<string, string> => {
    // Skewed like real trees: most packages need a few, some need dozens.
    const count = Math.min(names.length - 1, Math.floor(-Math.log(1 - random()) * depsMean));
    const out: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
      const dep = pick(names);
      if (dep !== self) out[dep] = `^${versionOf.get(dep)!}`;
    }
    return sortedObject(out);
  };
  const entryFor = (name: string, v: string): LockEntry => {
    const fields: LockEntry = {};
    if (random() < 0.45) fields.dev = true;
    else if (random() < 0.03) fields.optional = true;
    if (random() < 0.004) fields.hasInstallScript = true;
    fields.license = pick(LICENSES);
    const deps = dependencyMap(name);
    if (Object.keys(deps).length > 0) fields.dependencies = deps;
    if (random() < 0.1) fields.bin = { [name.replace(/^@[^/]+\//, "")]: "bin/cli.js" };
    if (random() < 0.6) fields.engines = { node: pick([">=12", ">=14", ">=16", ">= 0.8", "^12.20.0 || ^14.13.1 || >=16.0.0", ">=18.12.0"]) };
    if (random() < 0.3) {
      fields.funding =
        random() < 0.5
          ? { url: `https://github.com/sponsors/${name.replace(/^@/, "").replace(/\/.*/, "")}` }
          : [
              { type: "github", url: `https://github.com/sponsors/${name.replace(/^@/, "").replace(/\/.*/, "")}` },
              { type: "opencollective", url: `https://opencollective.com/${name.replace(/^@/, "").replace(/\//g, "-")}` },
            ];
    }
    if (random() < 0.15) {
      const peers: Record<string, string> = {};
      for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
        const peer = pick(names);
        peers[peer] = `>=${versionOf.get(peer)!.split(".")[0]}`;
      }
      fields.peerDependencies = sortedObject(peers);
      if (random() < 0.4) fields.peerDependenciesMeta = Object.fromEntries(Object.keys(peers).map((p) => [p, { optional: true }]));
    }
    return registryEntry(name, v, fields);
  };

  for (const name of names) entries.set(`node_modules/${name}`, entryFor(name, versionOf.get(name)!));
  // Nested copies: another major of a package, under a parent that asks for that major.
  let made = 0;
  for (let attempts = 0; made < nested && attempts < nested * 20; attempts++) {
    const parent = pick(names);
    const child = pick(names);
    const location = `node_modules/${parent}/node_modules/${child}`;
    if (child === parent || pinned.has(child) || entries.has(location)) continue;
    const topMajor = Number(versionOf.get(child)!.split(".")[0]);
    const v = version(topMajor + 1 + Math.floor(random() * 3));
    entries.set(location, entryFor(child, v));
    const parentEntry = entries.get(`node_modules/${parent}`)!;
    parentEntry.dependencies = sortedObject({ ...(parentEntry.dependencies as Record<string, string> | undefined), [child]: `^${v}` });
    made++;
  }

  const direct: Record<string, string> = {};
  const devDirect: Record<string, string> = {};
  // Pinned names are left transitive: the scenarios bump or keep them without touching the root entry.
  for (const name of names.slice(pinned.size, pinned.size + Math.min(names.length - pinned.size, 120))) {
    const entry = entries.get(`node_modules/${name}`)!;
    (entry.dev ? devDirect : direct)[name] = `^${versionOf.get(name)!}`;
  }
  const packages = new Map<string, LockEntry>();
  packages.set("", { name: "bench-app", version: "1.0.0", license: "UNLICENSED", dependencies: sortedObject(direct), devDependencies: sortedObject(devDirect) });
  for (const key of [...entries.keys()].sort(compareLocations)) packages.set(key, entries.get(key)!);
  return { packages };
}

/** npm sorts `packages` keys with localeCompare("en"). */
function compareLocations(a: string, b: string): number {
  return a.localeCompare(b, "en");
}

function sortedObject<T>(object: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b, "en")));
}

/** A copy whose entries can be replaced without touching the original. */
export function cloneLock(model: LockModel): LockModel {
  return { packages: new Map(model.packages) };
}

/** Adds or replaces an entry, keeping npm's key order. */
export function setEntry(model: LockModel, location: string, entry: LockEntry): void {
  model.packages.set(location, entry);
  const root = model.packages.get("")!;
  const rest = [...model.packages.entries()].filter(([k]) => k !== "").sort(([a], [b]) => compareLocations(a, b));
  model.packages.clear();
  model.packages.set("", root);
  for (const [k, v] of rest) model.packages.set(k, v);
}

/**
 * v3 is `packages` only. v2 (npm 7 and 8's default) adds v1's nested `dependencies` tree for old npm,
 * which roughly doubles the file: that is how a 20,000-package lockfile reaches 40 MB.
 */
export function serializeLock(model: LockModel, lockfileVersion: 2 | 3 = 3): string {
  const packages = Object.fromEntries(model.packages);
  const lock: Record<string, unknown> = { name: "bench-app", version: "1.0.0", lockfileVersion, requires: true, packages };
  if (lockfileVersion === 2) lock.dependencies = legacyTree(model);
  return `${JSON.stringify(lock, null, 2)}\n`;
}

function legacyTree(model: LockModel): Record<string, LockEntry> {
  const root: Record<string, LockEntry> = {};
  for (const [location, entry] of model.packages) {
    if (location === "") continue;
    const names = location.split(/(?:^|\/)node_modules\//).filter(Boolean);
    let level = root;
    for (const name of names.slice(0, -1)) level = ((level[name]!.dependencies as Record<string, LockEntry> | undefined) ??= {});
    const legacy: LockEntry = { version: entry.version, resolved: entry.resolved, integrity: entry.integrity };
    if (entry.dev) legacy.dev = true;
    if (entry.optional) legacy.optional = true;
    const requires = { ...(entry.dependencies as object | undefined), ...(entry.optionalDependencies as object | undefined) };
    if (Object.keys(requires).length > 0) legacy.requires = requires;
    level[names.at(-1)!] = legacy;
  }
  return root;
}

/** The 1-based line of a `packages` key. */
export function lineOfKey(text: string, location: string): number {
  const at = text.indexOf(`\n    ${JSON.stringify(location)}: {`);
  if (at === -1) throw new Error(`${location} not in the lockfile`);
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i <= at; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
