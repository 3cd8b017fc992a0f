/**
 * `pr-sentinel audit verify|export`: the audit trail from the command line, over the same database
 * the app writes (DATABASE_URL, else audit.sqlite under DATA_DIR). An auditor's tools: `verify`
 * walks every chain and exits 1 naming the first broken record; `export` streams records as JSONL
 * (verifiable) or CSV (for spreadsheets). Nothing but the export goes to stdout, so it can be piped.
 * Exit codes as for `scan`: 0 fine, 1 the trail is broken, 2 usage, settings or database error.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import { AuditExportError, exportAudit, isoInstant, type AuditExportFormat, type AuditSink } from "../posture/audit/export.js";
import type { AuditStore } from "../posture/audit/open-store.js";
import { verifyAuditTrail, type AuditVerification } from "../posture/audit/verify.js";
import { UsageError } from "./args.js";
import { openCliAuditStore } from "./audit-store.js";

export interface AuditCommandIo {
  readonly stdout: AuditSink;
  readonly stderr: { write(chunk: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const AUDIT_HELP = `Usage: pr-sentinel audit <verify|export> [options]

  verify [--repo OWNER/NAME]
      Checks every record's hash and link; exits 1 naming the first broken record of each
      repository. Prints each chain's end hash: keep it elsewhere to detect a rewritten chain.
  export [--format jsonl|csv] [--repo OWNER/NAME] [--since DATE] [--until DATE] [--output FILE]
      Streams records in time order (--since inclusive, --until exclusive; YYYY-MM-DD or an
      ISO 8601 date-time). JSONL (default) is what the hashes cover; CSV is for reading.

The database: DATABASE_URL (PostgreSQL) if set, else DATA_DIR/audit.sqlite (DATA_DIR default ./data).
`;

const REPO = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;


export async function runAuditCommand(argv: readonly string[], io: AuditCommandIo): Promise<number> {
  const say = (line: string) => io.stderr.write(`pr-sentinel audit: ${line}\n`);
  let store: AuditStore | undefined;
  try {
    const [sub, ...rest] = argv;
    if (sub === "--help" || sub === "-h" || sub === "help") {
      io.stdout.write(AUDIT_HELP);
      return 0;
    }
    if (sub === undefined) {
      io.stderr.write(AUDIT_HELP);
      return 2;
    }
    if (sub !== "verify" && sub !== "export") throw new UsageError(`unknown subcommand ${JSON.stringify(sub.slice(0, 40))}: expected verify or export`);
    const options = parseOptions(sub, rest);
    store = await openCliAuditStore(io.env, { create: false });
    if (sub === "verify") {
      const result = await verifyAuditTrail(store, options.repo ? { repo: options.repo } : {});
      io.stdout.write(verificationReport(result, store.location));
      return result.ok ? 0 : 1;
    }
    const exportOptions = {
      format: options.format,
      ...(options.repo ? { repo: options.repo } : {}),
      ...(options.since ? { since: options.since } : {}),
      ...(options.until ? { until: options.until } : {}),
    };
    if (!options.output) {
      await exportAudit(store, exportOptions, io.stdout);
      return 0;
    }
    const file = createWriteStream(options.output, { mode: 0o600 });
    await once(file, "open");
    const count = await exportAudit(store, exportOptions, file);
    file.end();
    await finished(file);
    say(`exported ${count} records to ${options.output}`);
    return 0;
  } catch (error) {
    say(error instanceof UsageError || error instanceof AuditExportError ? `${error.message} (see pr-sentinel audit --help)` : (error as Error).message);
    return 2;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

interface AuditOptions {
  readonly repo?: string;
  readonly format: AuditExportFormat;
  readonly since?: string;
  readonly until?: string;
  readonly output?: string;
}

function parseOptions(sub: "verify" | "export", args: readonly string[]): AuditOptions {
  const exportFlags = {
    format: { type: "string" },
    since: { type: "string" },
    until: { type: "string" },
    output: { type: "string", short: "o" },
  } as const;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...args], options: { repo: { type: "string" }, ...(sub === "export" ? exportFlags : {}) }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const repo = values.repo as string | undefined;
  if (repo !== undefined && (!REPO.test(repo) || repo.split("/").some((part) => part === "." || part === ".."))) throw new UsageError(`--repo: expected OWNER/NAME, got ${JSON.stringify(repo.slice(0, 60))}`);
  const format = (values.format as string | undefined) ?? "jsonl";
  if (format !== "jsonl" && format !== "csv") throw new UsageError(`--format: expected jsonl or csv, got ${JSON.stringify(format.slice(0, 20))}`);
  const since = values.since as string | undefined;
  const until = values.until as string | undefined;
  // Checked before the database is opened, so a typo costs no connection.
  if (since !== undefined) isoInstant(since, "since");
  if (until !== undefined) isoInstant(until, "until");
  return { format, ...(repo ? { repo } : {}), ...(since ? { since } : {}), ...(until ? { until } : {}), ...(values.output ? { output: values.output as string } : {}) };
}

function verificationReport(result: AuditVerification, location: string): string {
  const lines: string[] = [];
  if (result.ok) lines.push(`audit trail intact: ${result.records} records in ${result.chains.length} repositories (${location})`);
  else {
    lines.push(`audit trail BROKEN: ${result.breaks.length} ${result.breaks.length === 1 ? "repository has" : "repositories have"} a broken chain (${location})`);
    for (const b of result.breaks) lines.push(`  ${b.repository}: ${b.message}`);
  }
  if (result.chains.length) lines.push("chain ends (keep these to detect a rewritten chain later):");
  for (const c of result.chains) lines.push(`  ${c.repository}  seq ${c.startSeq}..${c.lastSeq}  ${c.lastHash}`);
  return `${lines.join("\n")}\n`;
}
