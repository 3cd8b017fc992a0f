/**
 * The network-facing services the dependencies check declares. The app, the CLI and tests inject
 * implementations (src/services/); the check knows only these interfaces. Both say plainly when
 * they could not answer (`LookupError`), so the check never reports "no vulnerabilities" for what it
 * did not look up.
 */
import type { OsvRecord } from "../../services/osv/osv-record.js";
import type { Ecosystem } from "./model.js";

export interface PackageQuery {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
}

/** Known vulnerabilities and malicious-package records, from the OSV API or an offline OSV export. */
export interface VulnerabilityLookup {
  /** `api` (OSV_API_URL) or `offline` (OSV_DB_DIR), for the report: "looked up in the offline OSV export". */
  readonly kind: "api" | "offline";
  /**
   * The records that affect each query, in input order (`result[i]` answers `queries[i]`), each a
   * full record (summary, aliases, affected ranges, severity). Withdrawn records may be included;
   * the check skips them. Throws `LookupError` when the data could not be had, for any query.
   */
  lookup(queries: readonly PackageQuery[], signal: AbortSignal): Promise<readonly (readonly OsvRecord[])[]>;
}

/** One published version of an npm package, as the registry's packument describes it. */
export interface NpmVersionInfo {
  readonly version: string;
  /** Publish time (ISO), from the packument's `time` map. */
  readonly published?: string;
  /** Lifecycle scripts that run at install: only `preinstall`, `install`, `postinstall` are kept. */
  readonly installScripts: Readonly<Record<string, string>>;
  /** The deprecation message, when the version is deprecated. */
  readonly deprecated?: string;
  /** `_npmUser.name`: who published this version. */
  readonly publisher?: string;
  /** The `license` field as published (an SPDX expression, or a legacy object/array turned into text). */
  readonly license?: string;
}

export interface NpmPackageInfo {
  readonly name: string;
  /** Every version the packument lists, in publish order where known. */
  readonly versions: readonly NpmVersionInfo[];
}

/** Package metadata from the npm registry (NPM_REGISTRY_URL). */
export interface NpmRegistry {
  /** `null` when the registry says the package does not exist (404). Throws `LookupError` otherwise. */
  packageInfo(name: string, signal: AbortSignal): Promise<NpmPackageInfo | null>;
}

/** The data source could not be reached, timed out, or answered something that is not valid. */
export class LookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LookupError";
  }
}

/** The keys under which callers inject these into `CheckContext.services`. */
export const VULNERABILITY_LOOKUP_SERVICE = "vulnerabilities";
export const NPM_REGISTRY_SERVICE = "npmRegistry";
