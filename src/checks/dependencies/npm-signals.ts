/**
 * Supply-chain signals of one npm package that a pull request adds (`from` undefined) or changes
 * (`from` → `to`), read from its packument. Pure functions: the check fetches, these judge.
 *
 * Threats and sources (shared/notes/dependencies.md §6):
 * - install-time scripts (`preinstall`, `install`, `postinstall`) are where most npm malware runs
 *   (the Shai-Hulud worms spread through `postinstall`); a script that the previous version did
 *   not have is the strong signal, one that was always there (esbuild, sharp) a weak one. A package
 *   with a `binding.gyp` and no install script is published with `install: "node-gyp rebuild"`, so
 *   it shows up here too.
 * - a version younger than a few days has not been looked at by anyone yet (Renovate's
 *   `minimumReleaseAge`, Dependabot's `cooldown`): compromised versions are usually found and
 *   pulled within days.
 * - a different `_npmUser` than the previous version's is how a stolen token or a new owner shows
 *   (Socket's "unstable ownership"); on packages with several maintainers it is often routine, so
 *   the signal says whether that user ever published this package before.
 * - a version the packument does not list was unpublished (npm pulls malware that way) or never
 *   existed on this registry (a lockfile edited by hand, or resolved against another registry).
 *
 * "The previous version" is the base version when the pull request upgrades and the registry still
 * has it; otherwise the version published just before `to` (by publish time), which for a new
 * dependency is the nearest thing to "what changed in this release".
 */
import { redactSecret } from "../../core/redact.js";
import type { NpmPackageInfo, NpmVersionInfo } from "./services.js";

export const DEFAULT_MIN_RELEASE_AGE_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;
const PREVIEW_CHARS = 80;
/** Registry text (deprecation messages) is shown to reviewers: kept to one short line. */
const MAX_MESSAGE_CHARS = 200;

export interface VersionNotInRegistry {
  readonly kind: "version-not-in-registry";
  readonly name: string;
  readonly version: string;
  /** The newest version the registry does list, for the message. */
  readonly latestListed?: string;
}

export interface InstallScript {
  readonly name: string;
  /** One line, at most 80 characters, long tokens redacted. */
  readonly preview: string;
  /** Compared with the previous version: `added` (it had no such script, or there is no previous version), `changed`, `unchanged`. */
  readonly status: "added" | "changed" | "unchanged";
}

export interface InstallScriptsSignal {
  readonly kind: "install-scripts";
  readonly name: string;
  readonly version: string;
  readonly scripts: readonly InstallScript[];
  /** Some script is added or changed compared with `comparedWith` (or there is nothing to compare with). */
  readonly isNew: boolean;
  /** The version compared with; undefined for a package's first version. */
  readonly comparedWith?: string;
}

export interface ReleaseAgeSignal {
  readonly kind: "release-age";
  readonly name: string;
  readonly version: string;
  readonly published: string;
  /** Whole days since publication (0 for a future date: a clock or a registry that lies). */
  readonly ageDays: number;
  /** Published less than `minReleaseAgeDays` ago. */
  readonly young: boolean;
  readonly minReleaseAgeDays: number;
}

export interface DeprecationSignal {
  readonly kind: "deprecated";
  readonly name: string;
  readonly version: string;
  /** The maintainers' message, one line, at most 200 characters. */
  readonly message: string;
}

export interface PublisherChangeSignal {
  readonly kind: "publisher-change";
  readonly name: string;
  readonly version: string;
  readonly publisher: string;
  readonly previousVersion: string;
  readonly previousPublisher: string;
  /** `publisher` published no version of this package before `version`. */
  readonly firstPublishByUser: boolean;
}

export type NpmSignal = VersionNotInRegistry | InstallScriptsSignal | ReleaseAgeSignal | DeprecationSignal | PublisherChangeSignal;

export interface NpmChange {
  /** The base version, when the pull request changes an existing dependency. */
  readonly from?: string;
  readonly to: string;
}

export interface NpmSignalOptions {
  readonly now: Date;
  /** The check's `min_release_age_days`. Default 3. */
  readonly minReleaseAgeDays?: number;
}

/**
 * Every signal for one change, in a stable order. A version missing from the packument gives only
 * `version-not-in-registry`: there is nothing else to read. Release age is included only when young.
 */
export function npmSignals(info: NpmPackageInfo, change: NpmChange, options: NpmSignalOptions): NpmSignal[] {
  const missing = versionNotInRegistry(info, change.to);
  if (missing) return [missing];
  const age = releaseAge(info, change.to, options.now, options.minReleaseAgeDays);
  const signals: (NpmSignal | undefined)[] = [
    installScripts(info, change.to, change.from),
    age?.young ? age : undefined,
    deprecation(info, change.to),
    publisherChange(info, change.to, change.from),
  ];
  return signals.filter((signal) => signal !== undefined);
}

export function versionNotInRegistry(info: NpmPackageInfo, to: string): VersionNotInRegistry | undefined {
  if (findVersion(info, to)) return undefined;
  const latestListed = info.versions.at(-1)?.version;
  return { kind: "version-not-in-registry", name: info.name, version: to, ...(latestListed ? { latestListed } : {}) };
}

export function installScripts(info: NpmPackageInfo, to: string, from?: string): InstallScriptsSignal | undefined {
  const target = findVersion(info, to);
  if (!target) return undefined;
  const names = Object.keys(target.installScripts);
  if (names.length === 0) return undefined;
  const previous = previousVersion(info, target, from);
  const scripts = names.map((name): InstallScript => {
    const script = target.installScripts[name]!;
    const before = previous?.installScripts[name];
    const status = before === undefined ? "added" : before === script ? "unchanged" : "changed";
    return { name, preview: previewOf(script), status };
  });
  return {
    kind: "install-scripts",
    name: info.name,
    version: target.version,
    scripts,
    isNew: scripts.some((s) => s.status !== "unchanged"),
    ...(previous ? { comparedWith: previous.version } : {}),
  };
}

export function releaseAge(info: NpmPackageInfo, to: string, now: Date, minReleaseAgeDays = DEFAULT_MIN_RELEASE_AGE_DAYS): ReleaseAgeSignal | undefined {
  const target = findVersion(info, to);
  const published = target?.published ? Date.parse(target.published) : Number.NaN;
  if (!target?.published || Number.isNaN(published)) return undefined;
  const ageMs = Math.max(0, now.getTime() - published);
  return {
    kind: "release-age",
    name: info.name,
    version: target.version,
    published: target.published,
    ageDays: Math.floor(ageMs / DAY_MS),
    young: ageMs < minReleaseAgeDays * DAY_MS,
    minReleaseAgeDays,
  };
}

export function deprecation(info: NpmPackageInfo, to: string): DeprecationSignal | undefined {
  const target = findVersion(info, to);
  const message = target?.deprecated ? oneLine(target.deprecated, MAX_MESSAGE_CHARS) : "";
  if (!target || message === "") return undefined;
  return { kind: "deprecated", name: info.name, version: target.version, message };
}

/** Only when both versions name their publisher: an absent `_npmUser` (very old versions, some mirrors) says nothing. */
export function publisherChange(info: NpmPackageInfo, to: string, from?: string): PublisherChangeSignal | undefined {
  const target = findVersion(info, to);
  if (!target?.publisher) return undefined;
  const previous = previousVersion(info, target, from);
  if (!previous?.publisher || previous.publisher === target.publisher) return undefined;
  const targetAt = publishedAt(target);
  const firstPublishByUser = !info.versions.some((v) => v !== target && v.publisher === target.publisher && publishedAt(v) < targetAt);
  return {
    kind: "publisher-change",
    name: info.name,
    version: target.version,
    publisher: oneLine(target.publisher, 100),
    previousVersion: previous.version,
    previousPublisher: oneLine(previous.publisher, 100),
    firstPublishByUser,
  };
}

function findVersion(info: NpmPackageInfo, version: string): NpmVersionInfo | undefined {
  return info.versions.find((v) => v.version === version);
}

/** The base version if the registry has it, else the one published last before `target`. */
function previousVersion(info: NpmPackageInfo, target: NpmVersionInfo, from?: string): NpmVersionInfo | undefined {
  if (from !== undefined && from !== target.version) {
    const base = findVersion(info, from);
    if (base) return base;
  }
  const targetAt = publishedAt(target);
  if (Number.isFinite(targetAt)) {
    let best: NpmVersionInfo | undefined;
    for (const v of info.versions) {
      const at = publishedAt(v);
      if (v !== target && at < targetAt && (!best || at > publishedAt(best))) best = v;
    }
    return best;
  }
  // No publish time: the packument's order is the best guess.
  const index = info.versions.indexOf(target);
  return index > 0 ? info.versions[index - 1] : undefined;
}

function publishedAt(v: NpmVersionInfo): number {
  const at = v.published ? Date.parse(v.published) : Number.NaN;
  return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at;
}

/**
 * The first line's start, with anything token-like redacted first (a script may carry a token:
 * `curl -H "Authorization: Bearer …"`), so that cutting at 80 cannot leave half a secret.
 */
export function previewOf(script: string): string {
  const firstLine = script.split(/\r?\n/, 1)[0]!.trim();
  const redacted = firstLine
    .replace(/(\/\/[^\s/:@]+:)[^\s/@]+@/g, "$1***@")
    .replace(/[A-Za-z0-9_\-+/=]{24,}/g, (token) => (looksLikePathOrWord(token) ? token : redactSecret(token)));
  const cleaned = redacted.replace(/[\u0000-\u001f\u007f]/g, " ");
  const more = cleaned.length > PREVIEW_CHARS || script.trim().includes("\n");
  return more ? `${cleaned.slice(0, PREVIEW_CHARS - 1)}…` : cleaned;
}

/** Long runs that are plainly not secrets: paths and dashed words (`node_modules/.bin/node-gyp-build`). */
function looksLikePathOrWord(token: string): boolean {
  return token.split(/[/\-_.]/).every((part) => part.length < 6 || (part.length < 16 && (/^[a-z]+$/i.test(part) || /^\d+$/.test(part))));
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
