/**
 * Does an OSV record affect one package version, and which version fixes it? This follows the
 * schema's evaluation algorithm (https://ossf.github.io/osv-schema/#evaluation):
 *
 * - An `affected[]` entry applies when its ecosystem is the query's (exactly, case-sensitive) and its
 *   name is the query's: PyPI names compared after PEP 503 normalisation, NuGet names
 *   case-insensitively, every other ecosystem exactly.
 * - A version is affected when an applicable entry lists it in `versions` (exact string) or one of
 *   its `SEMVER` / `ECOSYSTEM` ranges includes it. `SEMVER` ranges use SemVer 2.0 precedence,
 *   `ECOSYSTEM` ranges the ecosystem's own order. `GIT` ranges (and unknown types) need a commit
 *   graph, not a version: they are ignored.
 * - Within a range, events are taken in version order whatever order the record gives them
 *   (`introduced: "0"` first; at one version `introduced` before `last_affected` before `fixed`; then
 *   record order), and the last event the version has reached decides, exactly like the schema's
 *   walk over sorted events. Finding that event is one pass, so a range of 10,000 events costs
 *   10,000 comparisons rather than a sort.
 * - Hostile records: an event whose version the ordering refuses, or that carries more than one
 *   kind, is skipped (an unreadable `introduced` is never read as "0"; an unreadable `fixed` leaves
 *   the interval open, which errs towards reporting and is never offered as the fix); a version the
 *   ordering refuses is never inside a range (it can still match `versions` exactly). Readable
 *   events are computed once per range and kept while the record lives. `limit` events bound the range (`*` is infinity);
 *   when every `limit` is unreadable the implicit `*` applies.
 * - `withdrawn` is the caller's business: this module only evaluates ranges.
 */
import type { Ecosystem } from "../model.js";
import { normalizePypiName } from "../parsers/pep503.js";
import { semverOrdering, versionOrdering, type VersionOrdering } from "../versions/index.js";
import type { OsvAffected, OsvRange, OsvRecord } from "../../../services/osv/osv-record.js";

export interface OsvPackageQuery {
  readonly ecosystem: Ecosystem;
  readonly name: string;
}

export interface OsvVersionQuery extends OsvPackageQuery {
  readonly version: string;
}

type EventKind = "introduced" | "last_affected" | "fixed" | "limit";

/** Rank among events at the same version: the later one in sorted order decides. */
const KIND_RANK: Readonly<Record<Exclude<EventKind, "limit">, number>> = { introduced: 0, last_affected: 1, fixed: 2 };

interface RangeEvent {
  readonly kind: EventKind;
  readonly version: string;
  readonly index: number;
}

/** Candidate fixes checked against the whole record before giving up (bounds hostile records). */
const MAX_FIX_CANDIDATES = 64;

/** The name as the ecosystem compares it: PyPI per PEP 503, NuGet ids case-insensitively, others exactly. */
export function normalizePackageName(ecosystem: Ecosystem, name: string): string {
  if (ecosystem === "PyPI") return normalizePypiName(name);
  if (ecosystem === "NuGet") return name.toLowerCase();
  return name;
}

/** The `affected[]` entries of `record` that describe the queried package. */
export function affectedEntriesFor(record: OsvRecord, query: OsvPackageQuery): OsvAffected[] {
  const wanted = normalizePackageName(query.ecosystem, query.name);
  return (record.affected ?? []).filter(
    (entry) =>
      entry.package !== undefined &&
      entry.package.ecosystem === query.ecosystem &&
      normalizePackageName(query.ecosystem, entry.package.name) === wanted,
  );
}

export function affectedVersion(record: OsvRecord, query: OsvVersionQuery): boolean {
  return affectedEntriesFor(record, query).some((entry) => entryAffects(entry, query));
}

/**
 * The lowest `fixed` version above `query.version` that the record does not itself mark affected,
 * taken from the ranges of the entries that affect the version. Undefined when the version is not
 * affected, when its ranges only end in `last_affected` or never end, or when every fix the record
 * names is still affected by another range (overlapping ranges from several sources). Go fixes are
 * spelled with a `v` when the query's version has one (OSV's Go records omit it, go.mod needs it).
 */
export function lowestFixedAbove(record: OsvRecord, query: OsvVersionQuery): string | undefined {
  const entries = affectedEntriesFor(record, query).filter((entry) => entryAffects(entry, query));
  const candidates = new Set<string>();
  for (const entry of entries) {
    for (const range of entry.ranges ?? []) {
      const ordering = rangeOrdering(range, query.ecosystem);
      if (ordering === undefined || !ordering.isValid(query.version)) continue;
      for (const event of readEvents(range, ordering)) {
        if (event.kind === "fixed" && ordering.compare(query.version, event.version) < 0) candidates.add(event.version);
      }
    }
  }
  const ecosystemOrder = versionOrdering(query.ecosystem);
  const sorted = [...candidates].sort((a, b) => ecosystemOrder.compare(a, b));
  for (const fix of sorted.slice(0, MAX_FIX_CANDIDATES)) {
    if (!affectedVersion(record, { ...query, version: fix })) return spellLikeQuery(query, fix);
  }
  return undefined;
}

/** Every readable `fixed` version of the package's evaluable ranges, lowest first, without duplicates. */
export function fixedVersions(record: OsvRecord, query: OsvPackageQuery): string[] {
  const fixes = new Set<string>();
  for (const entry of affectedEntriesFor(record, query)) {
    for (const range of entry.ranges ?? []) {
      const ordering = rangeOrdering(range, query.ecosystem);
      if (ordering === undefined) continue;
      for (const event of readEvents(range, ordering)) if (event.kind === "fixed") fixes.add(event.version);
    }
  }
  const ecosystemOrder = versionOrdering(query.ecosystem);
  return [...fixes].sort((a, b) => ecosystemOrder.compare(a, b));
}

function entryAffects(entry: OsvAffected, query: OsvVersionQuery): boolean {
  if (entry.versions?.includes(query.version)) return true;
  return (entry.ranges ?? []).some((range) => rangeIncludes(range, query.ecosystem, query.version));
}

function rangeOrdering(range: OsvRange, ecosystem: Ecosystem): VersionOrdering | undefined {
  if (range.type === "SEMVER") return semverOrdering;
  if (range.type === "ECOSYSTEM") return versionOrdering(ecosystem);
  return undefined;
}

const EVENT_KINDS: readonly EventKind[] = ["introduced", "fixed", "last_affected", "limit"];

/** Readable events per range and ordering: records are immutable once validated, and asked many times. */
const readableEvents = new WeakMap<OsvRange, Map<VersionOrdering, readonly RangeEvent[]>>();

/** The range's events the ordering can read; `introduced: "0"` is kept as the before-everything mark. */
function readEvents(range: OsvRange, ordering: VersionOrdering): readonly RangeEvent[] {
  const byOrdering = readableEvents.get(range) ?? new Map<VersionOrdering, readonly RangeEvent[]>();
  const cached = byOrdering.get(ordering);
  if (cached !== undefined) return cached;
  const events: RangeEvent[] = [];
  range.events.forEach((event, index) => {
    let kind: EventKind | undefined;
    let kinds = 0;
    for (const candidate of EVENT_KINDS) {
      if (event[candidate] === undefined) continue;
      kind = candidate;
      kinds++;
    }
    if (kind === undefined || kinds !== 1) return;
    const version = event[kind] as string;
    const readable =
      (kind === "introduced" && version === "0") || (kind === "limit" && version.includes("*")) || ordering.isValid(version);
    if (readable) events.push({ kind, version, index });
  });
  byOrdering.set(ordering, events);
  readableEvents.set(range, byOrdering);
  return events;
}

function rangeIncludes(range: OsvRange, ecosystem: Ecosystem, version: string): boolean {
  const ordering = rangeOrdering(range, ecosystem);
  if (ordering === undefined || !ordering.isValid(version)) return false;
  const events = readEvents(range, ordering);
  const limits = events.filter((event) => event.kind === "limit");
  const belowALimit = limits.some((limit) => limit.version.includes("*") || ordering.compare(version, limit.version) < 0);
  if (limits.length > 0 && !belowALimit) return false;

  let deciding: RangeEvent | undefined;
  for (const event of events) {
    if (event.kind === "limit" || !reached(ordering, version, event)) continue;
    if (deciding === undefined || sortsAfter(ordering, event, deciding)) deciding = event;
  }
  return deciding?.kind === "introduced";
}

/** Whether the schema's walk would let `event` set the state for `version`. */
function reached(ordering: VersionOrdering, version: string, event: RangeEvent): boolean {
  if (event.kind === "introduced") return event.version === "0" || ordering.compare(version, event.version) >= 0;
  if (event.kind === "fixed") return ordering.compare(version, event.version) >= 0;
  return ordering.compare(version, event.version) > 0;
}

function sortsAfter(ordering: VersionOrdering, a: RangeEvent, b: RangeEvent): boolean {
  const byVersion = compareEventVersions(ordering, a, b);
  if (byVersion !== 0) return byVersion > 0;
  const byKind = KIND_RANK[a.kind as Exclude<EventKind, "limit">] - KIND_RANK[b.kind as Exclude<EventKind, "limit">];
  if (byKind !== 0) return byKind > 0;
  return a.index > b.index;
}

function compareEventVersions(ordering: VersionOrdering, a: RangeEvent, b: RangeEvent): number {
  const aZero = a.kind === "introduced" && a.version === "0";
  const bZero = b.kind === "introduced" && b.version === "0";
  if (aZero || bZero) return aZero === bZero ? 0 : aZero ? -1 : 1;
  return ordering.compare(a.version, b.version);
}

function spellLikeQuery(query: OsvVersionQuery, fix: string): string {
  return query.ecosystem === "Go" && query.version.startsWith("v") && !fix.startsWith("v") ? `v${fix}` : fix;
}
