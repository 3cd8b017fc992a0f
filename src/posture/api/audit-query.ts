/**
 * The query of `GET /api/v1/audit`, validated: `repo` (OWNER/NAME), `since` (inclusive) and
 * `until` (exclusive) as for `pr-sentinel audit export` (the same date check, isoInstant), `format`
 * (jsonl or csv; without it the `Accept` header chooses, else jsonl), `limit` (records per page) and
 * `cursor` (from the previous page's `Link`). Strict on purpose: an unknown or repeated parameter is
 * refused rather than ignored, because a typo such as `sinse=` would otherwise silently widen an
 * auditor's export to the whole trail. Every problem names its parameter.
 */
import { AuditExportError, isoInstant, type AuditExportFormat, type AuditExportKey } from "../audit/export.js";
import { decodeCursor } from "./audit-cursor.js";
import type { ParameterError } from "./problem.js";

export const DEFAULT_PAGE_LIMIT = 10_000;
export const MAX_PAGE_LIMIT = 100_000;
const PARAMETERS = ["repo", "since", "until", "format", "limit", "cursor"] as const;
const REPO = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

export interface AuditQuery {
  readonly repo?: string;
  readonly since?: string;
  readonly until?: string;
  readonly format: AuditExportFormat;
  readonly limit: number;
  readonly cursor?: AuditExportKey;
}

export class AuditQueryError extends Error {
  constructor(readonly errors: readonly ParameterError[]) {
    super(errors.map((e) => `${e.parameter}: ${e.detail}`).join("; "));
    this.name = "AuditQueryError";
  }
}

const quoted = (text: string, max = 40) => JSON.stringify(text.slice(0, max));

export function parseAuditQuery(search: URLSearchParams, accept: string | undefined): AuditQuery {
  const errors: ParameterError[] = [];
  const seen = new Map<string, string>();
  for (const [name, value] of search) {
    if (!(PARAMETERS as readonly string[]).includes(name)) errors.push({ parameter: name.slice(0, 40), detail: `unknown parameter; the parameters are ${PARAMETERS.join(", ")}` });
    else if (seen.has(name)) errors.push({ parameter: name, detail: "given more than once" });
    else seen.set(name, value);
  }
  const repo = seen.get("repo");
  if (repo !== undefined && (!REPO.test(repo) || repo.split("/").some((part) => part === "." || part === ".."))) {
    errors.push({ parameter: "repo", detail: `expected OWNER/NAME, got ${quoted(repo, 60)}` });
  }
  const instant = (name: "since" | "until") => {
    const value = seen.get(name);
    if (value === undefined) return undefined;
    try {
      return isoInstant(value, name, name);
    } catch (error) {
      if (!(error instanceof AuditExportError)) throw error;
      errors.push({ parameter: name, detail: error.message.slice(name.length + 2) });
      return undefined;
    }
  };
  const since = instant("since");
  const until = instant("until");
  if (since !== undefined && until !== undefined && since >= until) errors.push({ parameter: "until", detail: `${until} is not after since (${since}): the range holds nothing` });
  const formatText = seen.get("format");
  let format: AuditExportFormat = formatFromAccept(accept);
  if (formatText !== undefined) {
    if (formatText === "jsonl" || formatText === "csv") format = formatText;
    else errors.push({ parameter: "format", detail: `expected jsonl or csv, got ${quoted(formatText, 20)}` });
  }
  const limitText = seen.get("limit");
  let limit = DEFAULT_PAGE_LIMIT;
  if (limitText !== undefined) {
    if (/^[0-9]{1,7}$/.test(limitText) && Number(limitText) >= 1 && Number(limitText) <= MAX_PAGE_LIMIT) limit = Number(limitText);
    else errors.push({ parameter: "limit", detail: `expected a whole number from 1 to ${MAX_PAGE_LIMIT}, got ${quoted(limitText, 20)}` });
  }
  const cursorText = seen.get("cursor");
  const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
  if (cursorText !== undefined && !cursor) errors.push({ parameter: "cursor", detail: "not a cursor this server wrote: follow the previous page's Link header" });
  if (errors.length > 0) throw new AuditQueryError(errors.slice(0, 20));
  return { format, limit, ...(repo ? { repo } : {}), ...(since ? { since } : {}), ...(until ? { until } : {}), ...(cursor ? { cursor } : {}) };
}

/**
 * jsonl unless `Accept` prefers CSV: the media range with the highest q among
 * `application/x-ndjson`, `application/jsonl` and `text/csv` (ties go to JSONL). An Accept that
 * names neither is not refused (RFC 9110 lets a server answer its default).
 */
export function formatFromAccept(accept: string | undefined): AuditExportFormat {
  let jsonl = -1;
  let csv = -1;
  for (const part of (accept ?? "").slice(0, 1000).split(",")) {
    const [type = "", ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    if (type === "text/csv") csv = Math.max(csv, q);
    else if (type === "application/x-ndjson" || type === "application/jsonl") jsonl = Math.max(jsonl, q);
  }
  return csv > jsonl ? "csv" : "jsonl";
}
