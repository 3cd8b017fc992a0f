/**
 * How bad one OSV advisory is, from what the record itself says, never guessed:
 *
 * 1. `MAL-` records (OpenSSF malicious packages, also when the id is only an alias) are `critical`,
 *    source `malware`: installing one is an incident, whatever score it carries.
 * 2. GitHub's own rating, `database_specific.severity` (`LOW | MODERATE | HIGH | CRITICAL`), at the
 *    record level or on the package's `affected[]` entries: low / medium / high / critical, the
 *    highest when several. It is what GitHub shows and what dependency-review-action gates on.
 * 3. Otherwise the highest CVSS base score computed from the vectors in `severity[]` (record level
 *    and the package's `affected[]` entries; OSV stores vectors, not numbers), CVSS 2.0, 3.0, 3.1
 *    and 4.0 through `ae-cvss-calculator`: 9.0–10 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low,
 *    0 info. The base score only: CVSS 4.0 threat and environmental metrics are left out, as are
 *    temporal metrics of 2.0 and 3.x.
 * 4. With none of these, `medium`, source `unknown`: the documented default for an advisory without
 *    a rating (Go and RustSec records often have none). A known vulnerability is not `info`, and
 *    calling it `critical` would be a guess.
 *
 * A vector is used only when it is complete: every base metric once with a legal value, the prefix
 * matching the declared type (`CVSS_V3` is `CVSS:3.0/…` or `CVSS:3.1/…`), every other metric one the
 * calculator knows. A malformed vector is skipped, never a crash and never a zero.
 */
import type CvssCalculatorModule from "ae-cvss-calculator";
import { lazyRequire } from "../../../core/lazy-require.js";
import type { Severity } from "../../../core/types.js";
import { severityRank } from "../../../core/types.js";
import type { OsvRecord } from "../../../services/osv/osv-record.js";
import { affectedEntriesFor, type OsvPackageQuery } from "./affects.js";

// Scores are computed only for advisories found: a scan without any never loads the calculator.
const cvssCalculator = lazyRequire<typeof CvssCalculatorModule>("ae-cvss-calculator");

export type AdvisorySeveritySource = "ghsa" | "cvss_v3" | "cvss_v4" | "cvss_v2" | "malware" | "unknown";

export interface AdvisorySeverity {
  readonly severity: Severity;
  /** The highest CVSS base score found, when a vector could be scored. */
  readonly score?: number;
  /** The vector that score comes from, as the record wrote it. */
  readonly vector?: string;
  readonly source: AdvisorySeveritySource;
}

export type CvssVersion = "2.0" | "3.0" | "3.1" | "4.0";

export interface CvssScore {
  readonly score: number;
  readonly version: CvssVersion;
  readonly vector: string;
}

/** The severity of an advisory without any rating (see the header). */
export const UNRATED_ADVISORY_SEVERITY: Severity = "medium";

const MAX_VECTOR_LENGTH = 1_024;

const GHSA_SEVERITIES: Readonly<Record<string, Severity>> = {
  LOW: "low",
  MODERATE: "medium",
  MEDIUM: "medium",
  HIGH: "high",
  CRITICAL: "critical",
};

/** Base metrics of each CVSS version, in the order the specification writes them, with legal values. */
const BASE_METRICS: Readonly<Record<CvssVersion, Readonly<Record<string, readonly string[]>>>> = {
  "2.0": { AV: ["L", "A", "N"], AC: ["H", "M", "L"], Au: ["M", "S", "N"], C: ["N", "P", "C"], I: ["N", "P", "C"], A: ["N", "P", "C"] },
  "3.0": cvss3BaseMetrics(),
  "3.1": cvss3BaseMetrics(),
  "4.0": {
    AV: ["N", "A", "L", "P"],
    AC: ["L", "H"],
    AT: ["N", "P"],
    PR: ["N", "L", "H"],
    UI: ["N", "P", "A"],
    VC: ["H", "L", "N"],
    VI: ["H", "L", "N"],
    VA: ["H", "L", "N"],
    SC: ["H", "L", "N"],
    SI: ["H", "L", "N"],
    SA: ["H", "L", "N"],
  },
};

function cvss3BaseMetrics(): Readonly<Record<string, readonly string[]>> {
  const impact = ["H", "L", "N"];
  return { AV: ["N", "A", "L", "P"], AC: ["L", "H"], PR: ["N", "L", "H"], UI: ["N", "R"], S: ["U", "C"], C: impact, I: impact, A: impact };
}

export function advisorySeverity(record: OsvRecord, pkg?: OsvPackageQuery): AdvisorySeverity {
  const entries = pkg === undefined ? (record.affected ?? []) : affectedEntriesFor(record, pkg);
  const best = highestCvss([...(record.severity ?? []), ...entries.flatMap((entry) => entry.severity ?? [])]);
  const scored = best === undefined ? {} : { score: best.score, vector: best.vector };

  if (isMalware(record)) return { severity: "critical", ...scored, source: "malware" };
  const ghsa = highestSeverity(
    [record.database_specific, ...entries.map((entry) => entry.database_specific)].map((specific) => ghsaSeverity(specific?.["severity"])),
  );
  if (ghsa !== undefined) return { severity: ghsa, ...scored, source: "ghsa" };
  if (best !== undefined) {
    const source = best.version === "4.0" ? "cvss_v4" : best.version === "2.0" ? "cvss_v2" : "cvss_v3";
    return { severity: severityFromScore(best.score), ...scored, source };
  }
  return { severity: UNRATED_ADVISORY_SEVERITY, source: "unknown" };
}

/** CVSS qualitative rating of a base score (the same bands in 3.x and 4.0; applied to 2.0 too). */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  if (score > 0) return "low";
  return "info";
}

/**
 * The base score of one OSV `severity[]` entry (`type` `CVSS_V2`, `CVSS_V3` or `CVSS_V4`), or
 * `undefined` when the type is another scale or the vector is not a complete, legal vector.
 */
export function cvssBaseScore(type: string, vector: string): CvssScore | undefined {
  if (typeof vector !== "string" || vector.length > MAX_VECTOR_LENGTH) return undefined;
  const version = declaredVersion(type, vector);
  if (version === undefined) return undefined;
  const body = version === "2.0" ? vector.replace(/^CVSS:2\.0\//, "") : vector.slice(`CVSS:${version}/`.length);
  const metrics = readMetrics(body);
  if (metrics === undefined) return undefined;
  const base = BASE_METRICS[version];
  for (const [metric, values] of Object.entries(base)) {
    if (!values.includes(metrics.get(metric) ?? "")) return undefined;
  }
  try {
    // The full vector must be one the calculator accepts (it throws on unknown metrics or values);
    // the score comes from the base metrics alone.
    score(version, vector);
    const baseVector = `${version === "2.0" ? "" : `CVSS:${version}/`}${Object.keys(base)
      .map((metric) => `${metric}:${metrics.get(metric)}`)
      .join("/")}`;
    const value = score(version, baseVector);
    if (!Number.isFinite(value) || value < 0 || value > 10) return undefined;
    return { score: value, version, vector };
  } catch {
    return undefined;
  }
}

function declaredVersion(type: string, vector: string): CvssVersion | undefined {
  if (type === "CVSS_V2") return /^(CVSS:2\.0\/)?AV:/.test(vector) ? "2.0" : undefined;
  if (type === "CVSS_V3") return vector.startsWith("CVSS:3.1/") ? "3.1" : vector.startsWith("CVSS:3.0/") ? "3.0" : undefined;
  if (type === "CVSS_V4") return vector.startsWith("CVSS:4.0/") ? "4.0" : undefined;
  return undefined;
}

/** `AV:N/AC:L/…` as a map; `undefined` when a part is not `METRIC:VALUE` or a metric repeats. */
function readMetrics(body: string): Map<string, string> | undefined {
  const metrics = new Map<string, string>();
  for (const part of body.split("/")) {
    const match = /^([A-Za-z]{1,4}):([A-Za-z]{1,5})$/.exec(part);
    if (!match || metrics.has(match[1] as string)) return undefined;
    metrics.set(match[1] as string, match[2] as string);
  }
  return metrics;
}

function score(version: CvssVersion, vector: string): number {
  const cvss = cvssCalculator();
  const calculator =
    version === "2.0"
      ? new cvss.Cvss2(vector)
      : version === "3.0"
        ? new cvss.Cvss3P0(vector)
        : version === "3.1"
          ? new cvss.Cvss3P1(vector)
          : new cvss.Cvss4P0(vector);
  const scores = calculator.calculateScores() as { base?: unknown };
  return typeof scores.base === "number" ? scores.base : Number.NaN;
}

const VERSION_PREFERENCE: Readonly<Record<CvssVersion, number>> = { "2.0": 0, "3.0": 1, "3.1": 2, "4.0": 3 };

/** The highest base score; on a tie the newer CVSS version. */
function highestCvss(entries: readonly { readonly type: string; readonly score: string }[]): CvssScore | undefined {
  let best: CvssScore | undefined;
  for (const entry of entries) {
    const scored = cvssBaseScore(entry.type, entry.score);
    if (scored === undefined) continue;
    if (
      best === undefined ||
      scored.score > best.score ||
      (scored.score === best.score && VERSION_PREFERENCE[scored.version] > VERSION_PREFERENCE[best.version])
    ) {
      best = scored;
    }
  }
  return best;
}

function isMalware(record: OsvRecord): boolean {
  return record.id.startsWith("MAL-") || (record.aliases ?? []).some((alias) => alias.startsWith("MAL-"));
}

function ghsaSeverity(value: unknown): Severity | undefined {
  return typeof value === "string" ? GHSA_SEVERITIES[value.toUpperCase()] : undefined;
}

function highestSeverity(severities: readonly (Severity | undefined)[]): Severity | undefined {
  let highest: Severity | undefined;
  for (const severity of severities) {
    if (severity !== undefined && (highest === undefined || severityRank(severity) > severityRank(highest))) highest = severity;
  }
  return highest;
}
