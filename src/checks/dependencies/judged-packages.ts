/**
 * From file deltas to the package versions to look up: each distinct ecosystem, name and version
 * that a change adds, upgrades or downgrades, with every place that declares it (its lockfile entry
 * and, for a direct dependency, its manifest line). A manifest that names a range (`^4.17.15`) is
 * tied to the version the changed lockfile beside it (or above it, for workspaces) resolves.
 */
import type { FileDelta, Place } from "./collect-changes.js";
import { isNewVersion, type ChangeKind } from "./delta.js";
import type { Dependency } from "./model.js";
import { folderOf } from "./parsers/file-name.js";
import type { PackageQuery } from "./services.js";

export interface JudgedPackage {
  readonly query: PackageQuery;
  readonly kind: ChangeKind;
  /** The base version it replaces. */
  readonly from?: string;
  /** Every place that declares it; the manifest line first where there is one. */
  readonly places: Place[];
  /** Where findings that concern the package once (not each declaration) go. */
  readonly primary: Place;
}

export function judgedPackages(deltas: readonly FileDelta[], warnings: string[]): JudgedPackage[] {
  const byKey = new Map<string, { query: PackageQuery; kind: ChangeKind; from?: string; places: Place[] }>();
  for (const delta of deltas) {
    for (const change of delta.changes) {
      if (!isNewVersion(change) || change.dependency.source) continue;
      const d = change.dependency;
      const key = `${d.ecosystem}\u0000${d.name}\u0000${d.version}`;
      const place = placeOf(delta, d);
      const entry = byKey.get(key);
      if (entry) entry.places.push(place);
      else byKey.set(key, { query: { ecosystem: d.ecosystem, name: d.name, version: d.version! }, kind: change.kind, from: change.from, places: [place] });
    }
  }
  linkManifestRanges(deltas, byKey, warnings);
  return [...byKey.values()].map((entry) => {
    const places = dedupePlaces(entry.places).sort((a, b) => (a.format.kind === b.format.kind ? 0 : a.format.kind === "manifest" ? -1 : 1));
    return { ...entry, places, primary: places[0]! };
  });
}

function linkManifestRanges(deltas: readonly FileDelta[], byKey: Map<string, { query: PackageQuery; places: Place[] }>, warnings: string[]): void {
  const unresolved: string[] = [];
  // The looked-up versions of each package, in `byKey` order (the first that fits is tied).
  const byName = new Map<string, { query: PackageQuery; places: Place[] }[]>();
  for (const entry of byKey.values()) {
    const name = `${entry.query.ecosystem}\u0000${entry.query.name}`;
    const list = byName.get(name);
    if (list) list.push(entry);
    else byName.set(name, [entry]);
  }
  for (const delta of deltas) {
    if (delta.format.kind !== "manifest") continue;
    const folder = folderOf(delta.file.path);
    for (const change of delta.changes) {
      const d = change.dependency;
      if (d.version !== undefined || d.source) continue;
      const match = byName
        .get(`${d.ecosystem}\u0000${d.name}`)
        ?.find((entry) => entry.places.some((p) => p.format.kind === "lockfile" && isSameOrAncestor(folderOf(p.path), folder)));
      const place = placeOf(delta, d);
      if (match) match.places.push(place);
      else if (change.kind === "added") unresolved.push(`${d.declaredName ?? d.name} ${d.requirement ?? ""}`.trim());
    }
  }
  if (unresolved.length > 0) {
    const listed = unresolved.slice(0, 5).join(", ");
    const more = unresolved.length > 5 ? ` and ${unresolved.length - 5} more` : "";
    warnings.push(
      `${unresolved.length} added ${unresolved.length === 1 ? "dependency is" : "dependencies are"} not pinned to one version and not in a changed lockfile (${listed}${more}): the version that will be installed is unknown, so ${unresolved.length === 1 ? "it was" : "they were"} not looked up`,
    );
  }
}

/** Where a dependency of a file delta is declared. */
export function placeOf(delta: FileDelta, dependency: Dependency): Place {
  return { path: delta.file.path, line: dependency.line, dependency, format: delta.format, lineText: delta.lineText };
}

function isSameOrAncestor(ancestor: string, folder: string): boolean {
  return ancestor === "" || ancestor === folder || folder.startsWith(`${ancestor}/`);
}

function dedupePlaces(places: readonly Place[]): Place[] {
  const seen = new Set<string>();
  return places.filter((p) => {
    const key = `${p.path}\u0000${p.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
