/**
 * The delta of one dependency file between base and head: what the change added, upgraded,
 * downgraded or edited. Only the delta is judged. A dependency that only moved to another line, one
 * the change removed, and the unchanged dependencies of a renamed workspace are not in it, because
 * entries are compared by what they are (ecosystem, name, version, where they come from), never by
 * line or by workspace folder.
 */
import { newAtHead } from "../../core/new-at-head.js";
import type { Dependency } from "./model.js";
import { normalizePackageName } from "./osv/affects.js";
import { versionOrdering } from "./versions/index.js";

export type ChangeKind =
  /** No version of this package was there before. */
  | "added"
  | "upgraded"
  | "downgraded"
  /**
   * The same name and version as before, but the entry changed: another download URL or hash, a
   * new source, a new requirement. Integrity rules judge it; advisories of the version do not,
   * since the version was there already.
   */
  | "changed";

export interface DependencyChange {
  /** As it is at head. */
  readonly dependency: Dependency;
  readonly kind: ChangeKind;
  /** The version at base this one replaces (the highest of that name at base), for upgrades and downgrades. */
  readonly from?: string;
}

/** Everything that makes an entry itself; a difference in any of these makes it part of the delta. */
function entryKey(d: Dependency): string {
  return [
    d.ecosystem,
    sameName(d),
    sameVersion(d),
    d.requirement ?? "",
    d.source ? `${d.source.kind}:${d.source.spec}` : "",
    d.resolved ?? "",
    d.integrity ?? "",
    d.hasInstallScript ? "scripts" : "",
  ].join("\u0000");
}

function versionKey(d: Pick<Dependency, "ecosystem" | "name" | "version">): string {
  return `${d.ecosystem}\u0000${sameName(d)}\u0000${sameVersion(d)}`;
}

function nameKey(d: Pick<Dependency, "ecosystem" | "name">): string {
  return `${d.ecosystem}\u0000${sameName(d)}`;
}

/** Names as the ecosystem compares them: NuGet ids are case-insensitive, PyPI names per PEP 503. */
function sameName(d: Pick<Dependency, "ecosystem" | "name">): string {
  return normalizePackageName(d.ecosystem, d.name);
}

/** NuGet versions are case-insensitive too (`1.0.0-Beta` is `1.0.0-beta`). */
function sameVersion(d: Pick<Dependency, "ecosystem" | "version">): string {
  return d.ecosystem === "NuGet" ? (d.version ?? "").toLowerCase() : (d.version ?? "");
}

export function dependencyDelta(base: readonly Dependency[], head: readonly Dependency[]): DependencyChange[] {
  const added = newAtHead(base, head, entryKey);
  if (added.length === 0) return [];
  const baseVersions = new Set(base.map(versionKey));
  const baseByName = new Map<string, string[]>();
  for (const d of base) {
    if (d.version === undefined) continue;
    const key = nameKey(d);
    const list = baseByName.get(key);
    if (list) list.push(d.version);
    else baseByName.set(key, [d.version]);
  }
  return added.map((dependency) => classify(dependency, baseVersions, baseByName));
}

function classify(dependency: Dependency, baseVersions: ReadonlySet<string>, baseByName: ReadonlyMap<string, string[]>): DependencyChange {
  if (baseVersions.has(versionKey(dependency))) return { dependency, kind: "changed" };
  const previous = baseByName.get(nameKey(dependency));
  if (!previous || previous.length === 0 || dependency.version === undefined) return { dependency, kind: "added" };
  const ordering = versionOrdering(dependency.ecosystem);
  // The same version spelled another way (`2.2` and `2.2.0` in PEP 440) is not a new version.
  const version = dependency.version;
  if (ordering.isValid(version) && previous.some((v) => ordering.isValid(v) && ordering.compare(v, version) === 0)) {
    return { dependency, kind: "changed" };
  }
  const from = previous.reduce((a, b) => (ordering.compare(a, b) >= 0 ? a : b));
  return { dependency, kind: ordering.compare(version, from) >= 0 ? "upgraded" : "downgraded", from };
}

/** Whether the version of this change is new (its advisories and registry signals are the change's to answer for). */
export function isNewVersion(change: DependencyChange): boolean {
  return change.kind !== "changed" && change.dependency.version !== undefined;
}
