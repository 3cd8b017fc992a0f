/**
 * Known vulnerabilities and malware for the package versions a change adds, from the injected
 * `VulnerabilityLookup` (the OSV API or an offline export): one lookup for the whole delta, the
 * records turned into what a finding says (ids and aliases, summary, severity, fixed version).
 * Withdrawn records are skipped; `MAL-` records are malware, `critical` whatever else the package has.
 */
import type { Severity } from "../../core/types.js";
import { severityRank } from "../../core/types.js";
import type { OsvRecord } from "../../services/osv/osv-record.js";
import { lowestFixedAbove } from "./osv/affects.js";
import { advisorySeverity } from "./osv/severity.js";
import type { PackageQuery } from "./services.js";
import { versionOrdering } from "./versions/index.js";

export interface Advisory {
  readonly id: string;
  /** CVE and GHSA ids of the same advisory. */
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly severity: Severity;
  readonly score?: number;
  /** The lowest fixed version above the queried one, when the advisory names one. */
  readonly fixed?: string;
  readonly malware: boolean;
}

export interface PackageAdvisories {
  readonly vulnerabilities: readonly Advisory[];
  readonly malware: readonly Advisory[];
}

const MAX_SUMMARY_CHARS = 160;

export function advisoriesFor(query: PackageQuery, records: readonly OsvRecord[]): PackageAdvisories {
  const seen = new Set<string>();
  const vulnerabilities: Advisory[] = [];
  const malware: Advisory[] = [];
  for (const record of records) {
    if (record.withdrawn || seen.has(record.id)) continue;
    seen.add(record.id);
    const isMalware = record.id.startsWith("MAL-");
    const severity = advisorySeverity(record, query);
    const fixed = lowestFixedAbove(record, query);
    const advisory: Advisory = {
      id: record.id,
      aliases: preferredAliases(record),
      summary: oneLine(record.summary ?? record.details ?? ""),
      severity: isMalware ? "critical" : severity.severity,
      ...(severity.score !== undefined ? { score: severity.score } : {}),
      ...(fixed ? { fixed } : {}),
      malware: isMalware,
    };
    (isMalware ? malware : vulnerabilities).push(advisory);
  }
  // Worst first, then by id, so messages and fingerprints do not depend on the order OSV answered in.
  const order = (a: Advisory, b: Advisory) => severityRank(b.severity) - severityRank(a.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { vulnerabilities: vulnerabilities.sort(order), malware: malware.sort(order) };
}

/**
 * The version that fixes every advisory: the highest of their lowest fixes. `undefined` when any
 * advisory has no fix (then no single upgrade resolves them all) or there is none.
 */
export function versionFixingAll(ecosystem: PackageQuery["ecosystem"], advisories: readonly Advisory[]): string | undefined {
  if (advisories.length === 0 || advisories.some((a) => a.fixed === undefined)) return undefined;
  const ordering = versionOrdering(ecosystem);
  return advisories.map((a) => a.fixed!).reduce((a, b) => (ordering.compare(a, b) >= 0 ? a : b));
}

export function worstSeverity(advisories: readonly Advisory[]): Severity {
  return advisories.reduce<Severity>((worst, a) => (severityRank(a.severity) > severityRank(worst) ? a.severity : worst), "info");
}

/** CVE ids first, then GHSA, at most three: what people search for. */
function preferredAliases(record: OsvRecord): string[] {
  const aliases = (record.aliases ?? []).filter((a) => a !== record.id && /^[A-Za-z]+-[\w.:-]+$/.test(a) && a.length <= 64);
  const rank = (a: string) => (a.startsWith("CVE-") ? 0 : a.startsWith("GHSA-") ? 1 : 2);
  return [...new Set(aliases)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1)).slice(0, 3);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_SUMMARY_CHARS ? `${line.slice(0, MAX_SUMMARY_CHARS - 1)}…` : line;
}

/** "GHSA-jf85-cpcp-j695 (CVE-2019-10744, critical): Prototype Pollution in lodash". */
export function describeAdvisory(a: Advisory): string {
  const tags = [...a.aliases.slice(0, 1), a.score !== undefined ? `${a.severity}, CVSS ${a.score.toFixed(1)}` : a.severity];
  return `${a.id} (${tags.join(", ")})${a.summary ? `: ${a.summary}` : ""}`;
}
