/**
 * Vulnerability lookups in an offline OSV export (OSV_DB_DIR), for air-gapped runs and `--offline`:
 * the unzipped `gs://osv-vulnerabilities/<ECOSYSTEM>/all.zip` archives, one folder per ecosystem
 * (`npm/`, `PyPI/`, `crates.io/`, …) holding one `<ID>.json` per advisory; records directly under
 * the directory (the flat `all.zip`) and a few nested levels (ossf/malicious-packages'
 * `osv/malicious/<ecosystem>/<package>/MAL-….json`) are read too.
 *
 * The export is read once and indexed by ecosystem and package name; only parsed records stay in
 * memory, and only those naming a package in an ecosystem pr-sentinel looks up (distro ecosystems
 * such as Debian are dropped: no query can reach them). Files are hostile input like anything else:
 * one that is too large, not JSON or not an OSV record is skipped and counted, never fatal, and a
 * directory with no record at all is an error rather than a silent "no vulnerabilities". Whether a
 * record affects the queried version is the injected evaluator's call, so the API and the export
 * answer the same question the same way.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { ECOSYSTEMS, type Ecosystem } from "../../checks/dependencies/model.js";
import { normalizePackageName } from "../../checks/dependencies/osv/affects.js";
import { LookupError, type PackageQuery, type VulnerabilityLookup } from "../../checks/dependencies/services.js";
import { limitConcurrency } from "../../core/limit-concurrency.js";
import { osvRecordSchema, type OsvRecord } from "./osv-record.js";

export interface OfflineOsvDbOptions {
  readonly isAffected: (record: OsvRecord, query: PackageQuery) => boolean;
  /** Files larger than this are skipped. Default 16 MiB (the largest real records, kernel CVEs, are a few MiB). */
  readonly maxRecordBytes?: number;
}

export interface OfflineOsvDb extends VulnerabilityLookup {
  readonly kind: "offline";
  readonly dir: string;
  /** Records indexed: valid, distinct by id, naming at least one package in a supported ecosystem. */
  readonly records: number;
  /** Files skipped because they were too large, unreadable, not JSON or not an OSV record. */
  readonly skipped: number;
  /** The first few skipped files, relative to `dir`, each with its reason, for a warning. */
  readonly skippedFiles: readonly string[];
}

const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** Deep enough for `osv/malicious/npm/@scope/name/MAL-….json` below the export root. */
const MAX_DEPTH = 5;
const READ_CONCURRENCY = 32;
const SKIPPED_EXAMPLES = 5;
const SUPPORTED: ReadonlySet<string> = new Set(ECOSYSTEMS);

type Skip = (file: string, reason: string) => void;

export async function openOfflineOsvDb(dir: string, options: OfflineOsvDbOptions): Promise<OfflineOsvDb> {
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const skips: { readonly file: string; readonly reason: string }[] = [];
  const files = await listRecordFiles(dir, (file, reason) => skips.push({ file, reason }));

  const fileSkips: { readonly index: number; readonly reason: string }[] = [];
  const byId = new Map<string, OsvRecord>();
  let valid = 0;
  const limit = limitConcurrency(READ_CONCURRENCY);
  // Each record is kept or dropped as soon as it is read, so a full export's distro records never pile up.
  await Promise.all(
    files.map((file, index) =>
      limit(async () => {
        const outcome = await readRecord(file, maxBytes);
        if (typeof outcome === "string") return fileSkips.push({ index, reason: outcome });
        if (!outcome) return;
        valid++;
        if (!namesSupportedPackage(outcome)) return;
        const seen = byId.get(outcome.id);
        // The same advisory can sit in two folders (a flat all.zip beside a per-ecosystem one): newest wins.
        if (!seen || (outcome.modified ?? "") > (seen.modified ?? "")) byId.set(outcome.id, outcome);
      }),
    ),
  );
  // In file order, so the examples do not depend on which read finished first.
  fileSkips.sort((a, b) => a.index - b.index);
  for (const { index, reason } of fileSkips) skips.push({ file: files[index]!, reason });
  const skippedFiles = skips.slice(0, SKIPPED_EXAMPLES).map(({ file, reason }) => `${relative(dir, file) || file}: ${reason}`);

  if (byId.size === 0) {
    const what = valid === 0 ? "no OSV records" : `${valid} OSV record${valid === 1 ? "" : "s"} but none for ${ECOSYSTEMS.join(", ")}`;
    const why = skips.length > 0 ? `; ${skips.length} file${skips.length === 1 ? "" : "s"} skipped (${skippedFiles.join("; ")})` : "";
    throw new Error(
      `OSV_DB_DIR: ${what} in ${dir} (expected one JSON file per advisory, in folders per ecosystem such as npm/ and PyPI/)${why}`,
    );
  }

  const index = indexByPackage(byId.values());
  return {
    kind: "offline",
    dir,
    records: byId.size,
    skipped: skips.length,
    skippedFiles,
    async lookup(queries, signal) {
      if (signal.aborted) throw new LookupError(`offline OSV export (${dir}): the lookup was cancelled`);
      return queries.map((query) => {
        const candidates = index.get(packageKey(query.ecosystem, query.name)) ?? [];
        return candidates.filter((record) => affects(record, query, options.isAffected, dir));
      });
    },
  };
}

/** Every `*.json` below `dir`, in a stable order. Only the top directory must be readable. */
async function listRecordFiles(dir: string, skip: Skip): Promise<string[]> {
  const files: string[] = [];
  async function walk(folder: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (depth === 0) {
        throw new Error(`OSV_DB_DIR: cannot read the offline OSV export at ${dir} (${errorCode(error)}); set OSV_DB_DIR to an unzipped OSV export`);
      }
      return skip(folder, `unreadable folder (${errorCode(error)})`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder, entry.name);
      // Symbolic links are followed only to files: a linked folder could loop back on itself.
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(path, depth + 1);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith(".json")) {
        files.push(path);
      }
    }
  }
  await walk(dir, 0);
  return files;
}

/** The record, or why the file is skipped; `undefined` for what is not a file after all (a linked folder). */
async function readRecord(file: string, maxBytes: number): Promise<OsvRecord | string | undefined> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) return undefined;
    if (info.size > maxBytes) return `larger than ${describeBytes(maxBytes)}`;
    text = await readFile(file, "utf8");
  } catch (error) {
    return `unreadable (${errorCode(error)})`;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  const parsed = osvRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `not an OSV record (${issue.path.join(".") || "top level"}: ${issue.message})`;
  }
  return parsed.data;
}

function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${bytes} bytes`;
}

function namesSupportedPackage(record: OsvRecord): boolean {
  return (record.affected ?? []).some((affected) => affected.package !== undefined && SUPPORTED.has(affected.package.ecosystem));
}

function indexByPackage(records: Iterable<OsvRecord>): Map<string, OsvRecord[]> {
  const index = new Map<string, OsvRecord[]>();
  for (const record of records) {
    const keys = new Set<string>();
    for (const affected of record.affected ?? []) {
      const pkg = affected.package;
      if (pkg && SUPPORTED.has(pkg.ecosystem)) keys.add(packageKey(pkg.ecosystem as Ecosystem, pkg.name));
    }
    for (const key of keys) {
      const list = index.get(key);
      if (list) list.push(record);
      else index.set(key, [record]);
    }
  }
  return index;
}

/** The ecosystem and the name as the ecosystem compares it, the way `isAffected` matches entries. */
function packageKey(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem}\u0000${normalizePackageName(ecosystem, name)}`;
}

function affects(record: OsvRecord, query: PackageQuery, isAffected: OfflineOsvDbOptions["isAffected"], dir: string): boolean {
  try {
    return isAffected(record, query);
  } catch (error) {
    throw new LookupError(
      `offline OSV export (${dir}): cannot tell whether ${record.id} affects ${query.name}@${query.version} (${(error as Error).message})`,
    );
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
