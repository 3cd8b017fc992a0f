/**
 * `GET /api/v1/audit` through real HTTP with real tokens (issued by `pr-sentinel tokens create`),
 * on SQLite and on PostgreSQL. Every answer is validated against docs/api/openapi.yaml by the
 * harness (JSONL line by line against docs/audit-record.schema.json) before a test looks at it.
 * What the pages hold is compared with exportAudit's own output, the bytes `audit export` writes.
 */
import { request } from "node:http";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinChecks } from "../../../src/checks/index.js";
import { runScan } from "../../../src/core/engine.js";
import { CSV_COLUMNS, exportAudit, type AuditExportOptions } from "../../../src/posture/audit/export.js";
import type { AuditStore } from "../../../src/posture/audit/open-store.js";
import { changedFilesFromDiff } from "../../../src/posture/api/diff-input.js";
import { configFromObject } from "../../../src/core/config/load-config.js";
import { bothDatabases } from "../../helpers/postgres-server.js";
import { finding, record, scanResult } from "../audit/fixtures.js";
import { startApi, type ApiResponse, type RunningApi } from "./api-harness.js";
import { newFileDiff, plantedGithubToken } from "./fixtures.js";

const databases = bothDatabases();

const START = Date.parse("2026-03-01T00:00:00.000Z");
const HOUR = 3_600_000;

/** What exportAudit (the CLI's export) writes for these options. */
async function cliExport(store: AuditStore, options: AuditExportOptions): Promise<string> {
  let text = "";
  await exportAudit(store, options, { write: (chunk: string) => void (text += chunk) });
  return text;
}

function lines(jsonl: string): Record<string, unknown>[] {
  return jsonl === "" ? [] : jsonl.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The `rel="next"` target of a Link header, or undefined. */
function nextLink(res: ApiResponse): string | undefined {
  const link = res.headers.link;
  if (link === undefined) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(String(link));
  if (!match) throw new Error(`unexpected Link header ${String(link)}`);
  return match[1];
}

/** RFC 4180 strictly: quoted fields may hold commas, CRLF and doubled quotes; rows end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) throw new Error("unterminated quoted field");
        cell += text.slice(i, q);
        if (text[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const end = text.slice(i).search(/[,\r"]/);
      const stop = end === -1 ? text.length : i + end;
      if (text[stop] === '"') throw new Error(`a quote inside an unquoted field at ${stop}`);
      cell = text.slice(i, stop);
      i = stop;
    }
    row.push(cell);
    if (text[i] === ",") i++;
    else if (text.startsWith("\r\n", i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`expected , or CRLF at ${i}`);
  }
  if (row.length > 0) throw new Error("the last row does not end in CRLF");
  return rows;
}

describe.each(databases)("GET /api/v1/audit on $name", ({ url, skip }) => {
  let api: RunningApi;
  let clock = START;
  let auditToken: string;
  let bothToken: string;
  let total = 0;
  beforeAll(async () => {
    if (skip) return;
    const databaseUrl = await url();
    // One export at a time, so the last test can fill the only slot.
    api = await startApi({ ...(databaseUrl ? { databaseUrl } : {}), storeNow: () => new Date(clock), exportConcurrency: 1 });
    auditToken = await api.issueToken("auditor", ["--scope", "audit"]);
    bothToken = await api.issueToken("both", ["--scope", "scan", "--scope", "audit"]);
    // 5 batches an hour apart, 5 records each sharing a created_at (so pages cut through ties,
    // ordered by id), alternating between two repositories.
    for (let batch = 0; batch < 5; batch++) {
      clock = START + batch * HOUR;
      await api.store.appendMany(Array.from({ length: 5 }, (_, i) => record({ repo: i % 2 === 0 ? "acme/widgets" : "acme/gadgets", pullNumber: batch * 10 + i + 1 })));
      total += 5;
    }
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });
  const test = skip ? it.skip : it;

  test("answers a page the same bytes as the CLI's export, streamed as JSONL", async () => {
    const res = await api.get("/api/v1/audit", auditToken);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-ndjson");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["transfer-encoding"]).toBe("chunked");
    expect(res.headers.link).toBeUndefined();
    expect(res.text).toBe(await cliExport(api.store, { format: "jsonl" }));
    expect(lines(res.text)).toHaveLength(total);
  });

  test("filters by repository (any case), since (inclusive) and until (exclusive), as the CLI does", async () => {
    const repo = await api.get("/api/v1/audit?repo=ACME/Widgets", auditToken);
    expect(lines(repo.text).map((r) => r.repository)).toEqual(Array(15).fill("acme/widgets"));
    expect(repo.text).toBe(await cliExport(api.store, { format: "jsonl", repo: "acme/widgets" }));

    const since = new Date(START + HOUR).toISOString();
    const until = new Date(START + 3 * HOUR).toISOString();
    const window = await api.get(`/api/v1/audit?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`, auditToken);
    const times = lines(window.text).map((r) => r.created_at);
    expect(times).toHaveLength(10);
    expect(new Set(times)).toEqual(new Set([since, new Date(START + 2 * HOUR).toISOString()]));
    // A date is midnight UTC; the day after the last batch holds nothing.
    const dates = await api.get("/api/v1/audit?since=2026-03-01&until=2026-03-02&repo=acme/gadgets", auditToken);
    expect(lines(dates.text)).toHaveLength(10);
    expect((await api.get("/api/v1/audit?since=2026-03-02", auditToken)).text).toBe("");
  });

  test("pages through every record once, in order, following Link; a last page that ends exactly at the limit has no Link", async () => {
    for (const limit of [7, 5, 25, 1000]) {
      const seen: Record<string, unknown>[] = [];
      let text = "";
      let next: string | undefined = `/api/v1/audit?limit=${limit}`;
      let pages = 0;
      while (next !== undefined) {
        const res = await api.get(next, auditToken);
        expect(res.status).toBe(200);
        const page = lines(res.text);
        next = nextLink(res);
        if (next !== undefined) expect(page).toHaveLength(limit);
        else expect(page.length).toBeLessThanOrEqual(limit);
        seen.push(...page);
        text += res.text;
        pages++;
        expect(pages).toBeLessThan(30);
      }
      expect(pages, `limit ${limit}`).toBe(Math.max(1, Math.ceil(total / limit)));
      expect(text).toBe(await cliExport(api.store, { format: "jsonl" }));
      const ids = seen.map((r) => r.id as number);
      expect(new Set(ids).size).toBe(total);
    }
  });

  test("keeps the filters and format across pages, and a record committed after page 1 comes on a later page", async () => {
    const first = await api.get("/api/v1/audit?repo=acme/gadgets&format=csv&limit=4", auditToken);
    const link = nextLink(first)!;
    expect(link).toMatch(/^\/api\/v1\/audit\?repo=acme%2Fgadgets&format=csv&limit=4&cursor=[A-Za-z0-9_-]+$/);
    clock = START + 10 * HOUR;
    await api.store.append(record({ repo: "acme/gadgets", pullNumber: 999 }));
    total++;
    const rows: string[][] = parseCsv(first.text).slice(1);
    let next: string | undefined = link;
    while (next !== undefined) {
      const res = await api.get(next, auditToken);
      expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
      const [header, ...page] = parseCsv(res.text);
      expect(header).toEqual([...CSV_COLUMNS]);
      rows.push(...page);
      next = nextLink(res);
    }
    const repoColumn = CSV_COLUMNS.indexOf("repository");
    const pullColumn = CSV_COLUMNS.indexOf("pull_request");
    expect(rows.map((r) => r[repoColumn])).toEqual(Array(11).fill("acme/gadgets"));
    expect(rows.at(-1)![pullColumn]).toBe("999");
  });

  test("CSV is RFC 4180 with the formula guard, byte for byte the CLI's, chosen by format or by Accept", async () => {
    clock = START + 20 * HOUR;
    const base = scanResult([finding({ path: "=cmd.ts" })]);
    await api.store.append(record({ repo: "acme/formulas", result: { ...base, verdict: { ...base.verdict, title: '=SUM(A1:A2) "quoted", and\r\nsplit' } } }));
    total++;
    const res = await api.get("/api/v1/audit?repo=acme/formulas&format=csv", auditToken);
    expect(res.status).toBe(200);
    expect(res.text).toBe(await cliExport(api.store, { format: "csv", repo: "acme/formulas" }));
    const [header, row] = parseCsv(res.text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(row).toHaveLength(CSV_COLUMNS.length);
    const title = row![CSV_COLUMNS.indexOf("title")]!;
    const stored = lines((await api.get("/api/v1/audit?repo=acme/formulas", auditToken)).text)[0]!.verdict as { title: string };
    expect(stored.title.startsWith("=")).toBe(true);
    expect(title).toBe(`'${stored.title}`);

    const byAccept = await api.get("/api/v1/audit?repo=acme/formulas", auditToken, { accept: "application/x-ndjson;q=0.5, text/csv" });
    expect(byAccept.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(byAccept.text).toBe(res.text);
    const paramWins = await api.get("/api/v1/audit?repo=acme/formulas&format=jsonl", auditToken, { accept: "text/csv" });
    expect(paramWins.headers["content-type"]).toBe("application/x-ndjson");
    const other = await api.get("/api/v1/audit?repo=acme/formulas", auditToken, { accept: "application/xml" });
    expect(other.headers["content-type"]).toBe("application/x-ndjson");
  });

  test("refuses bad parameters with 400, naming each parameter", async () => {
    const cases: [string, string, RegExp][] = [
      ["repo=acme", "repo", /expected OWNER\/NAME/],
      ["repo=acme/../x", "repo", /expected OWNER\/NAME/],
      ["since=2026-02-30", "since", /expected a date/],
      ["until=yesterday", "until", /expected a date/],
      ["since=2026-03-02&until=2026-03-01", "until", /is not after since/],
      ["format=xml", "format", /expected jsonl or csv/],
      ["limit=0", "limit", /from 1 to 100000/],
      ["limit=100001", "limit", /from 1 to 100000/],
      ["limit=1e3", "limit", /from 1 to 100000/],
      ["cursor=bm90IGEgY3Vyc29y", "cursor", /not a cursor this server wrote/],
      [`cursor=${"A".repeat(500)}`, "cursor", /not a cursor/],
      ["sinse=2026-01-01", "sinse", /unknown parameter/],
      ["repo=acme/a&repo=acme/b", "repo", /more than once/],
    ];
    for (const [query, parameter, detail] of cases) {
      const res = await api.get(`/api/v1/audit?${query}`, auditToken);
      expect(res.status, query).toBe(400);
      expect(res.headers["content-type"]).toBe("application/problem+json");
      expect(res.json).toMatchObject({ type: expect.stringMatching(/api\.md#invalid-query$/), status: 400 });
      const errors = res.json.errors as { parameter: string; detail: string }[];
      expect(errors[0], query).toEqual({ parameter, detail: expect.stringMatching(detail) });
    }
    const several = await api.get("/api/v1/audit?format=xml&limit=-1", auditToken);
    expect((several.json.errors as { parameter: string }[]).map((e) => e.parameter)).toEqual(["format", "limit"]);
    const post = await api.post("", { path: "/api/v1/audit", token: auditToken });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET");
  });

  test("a scan token gets 403 on the audit, an audit token 403 on the scan; a token with both gets both", async () => {
    const scanOnly = await api.issueToken("scan only");
    const denied = await api.get("/api/v1/audit", scanOnly);
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ type: expect.stringMatching(/#insufficient-scope$/), detail: expect.stringContaining('does not have the scope "audit"') });
    expect(denied.headers["www-authenticate"]).toBe('Bearer realm="pr-sentinel", error="insufficient_scope", scope="audit"');
    expect(denied.text).not.toContain(scanOnly.slice(12));

    const diff = { diff: newFileDiff("src/a.ts", ["export const a = 1;"]) };
    const scanDenied = await api.post(diff, { token: auditToken });
    expect(scanDenied.status).toBe(403);
    expect(scanDenied.json.detail).toContain('does not have the scope "scan"');
    expect(scanDenied.headers["www-authenticate"]).toContain('scope="scan"');

    expect((await api.post(diff, { token: bothToken })).status).toBe(200);
    expect((await api.get("/api/v1/audit?limit=1", bothToken)).status).toBe(200);

    const none = await api.get("/api/v1/audit", undefined);
    expect(none.status).toBe(401);
    const revoked = await api.issueToken("to revoke", ["--scope", "audit"]);
    expect((await api.tokens(["revoke", revoked.slice(0, 12)])).code).toBe(0);
    expect((await api.get("/api/v1/audit", revoked)).json).toMatchObject({ status: 403, type: expect.stringMatching(/#token-revoked$/) });
  });

  test("one rate per token across the scan and the audit endpoints; a refused scope does not spend it", async () => {
    const token = await api.issueToken("rated", ["--scope", "audit", "--scope", "scan", "--rate", "2/h"]);
    const auditOnly = await api.issueToken("rated audit", ["--scope", "audit", "--rate", "1/h"]);
    for (let i = 0; i < 3; i++) expect((await api.post({ diff: newFileDiff("a.ts", ["x"]) }, { token: auditOnly })).status).toBe(403);
    expect((await api.get("/api/v1/audit?limit=1", auditOnly)).status).toBe(200);
    expect((await api.get("/api/v1/audit?limit=1", auditOnly)).status).toBe(429);

    expect((await api.post({ diff: newFileDiff("a.ts", ["x"]) }, { token })).status).toBe(200);
    expect((await api.get("/api/v1/audit?limit=1", token)).status).toBe(200);
    const limited = await api.get("/api/v1/audit?limit=1", token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  });

  test("a secret planted in a scanned diff is found by the scan and never appears in the export", async () => {
    const secret = plantedGithubToken();
    const diff = newFileDiff("src/leak.ts", ["export const a = 1;", `const token = "${secret}"; // ${secret}`]);
    const config = configFromObject({}, "config", builtinChecks);
    const result = await runScan({ files: changedFilesFromDiff(diff), config, checks: builtinChecks, logger: pino({ level: "silent" }), offline: true });
    expect(result.findings.map((f) => f.ruleId)).toContain("secrets/github-classic-pat");
    clock = START + 30 * HOUR;
    await api.store.append(record({ repo: "acme/leaky", result }));
    total++;
    for (const format of ["jsonl", "csv"]) {
      const res = await api.get(`/api/v1/audit?repo=acme/leaky&format=${format}`, auditToken);
      expect(res.status).toBe(200);
      expect(res.text).toContain("secrets/github-classic-pat");
      for (let i = 0; i + 8 <= secret.length; i++) expect(res.text, format).not.toContain(secret.slice(i, i + 8));
    }
  });

  test("streams with backpressure, stops when the client goes, and is bounded in concurrent exports", async () => {
    // 6,000 records of ~7 KB: a page of ~40 MB, far more than loopback's socket buffers hold, written
    // in chunks of 500 records, so the server has to wait for drain between them.
    clock = START + 40 * HOUR;
    const big = scanResult(Array.from({ length: 20 }, (_, i) => finding({ path: `src/module-${i}/a-rather-long-path/to-make-records-big.ts`, startLine: i + 1 })));
    for (let batch = 0; batch < 6; batch++) await api.store.appendMany(Array.from({ length: 1000 }, () => record({ repo: "acme/big", result: big })));
    const whole = await cliExport(api.store, { format: "jsonl", repo: "acme/big" });
    expect(whole.length).toBeGreaterThan(36_000_000);

    const { received, abort } = await pausedDownload(`${api.url}/api/v1/audit?repo=acme/big&limit=100000`, auditToken);
    expect(api.auditHandler.stats().running).toBe(1);
    const refused = await api.get("/api/v1/audit?limit=1", auditToken);
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ type: expect.stringMatching(/#exports-busy$/) });
    expect(refused.headers["retry-after"]).toBe("5");
    expect(received()).toBeLessThan(whole.length / 2);
    abort();
    const gone = () => api.logs.find((l) => l.includes('"msg":"audit API request"') && l.includes('"reason":"client-disconnected"'));
    await waitFor(() => gone() !== undefined);
    const line = JSON.parse(gone()!) as { bytes: number; repo: string; status: number };
    expect(line.repo).toBe("acme/big");
    // The server wrote what the sockets could hold, not the page: it waited for drain, then stopped
    // (without backpressure every chunk is written within milliseconds, long before the abort).
    // At least one chunk of 500 records (~3.6 MB) was never written.
    expect(line.bytes).toBeGreaterThan(1_000_000);
    expect(line.bytes).toBeLessThan(whole.length - 3_000_000);
    await waitFor(() => api.auditHandler.stats().running === 0);
    const after = await api.get("/api/v1/audit?repo=acme/big&limit=2", auditToken);
    expect(after.status).toBe(200);
    expect(lines(after.text)).toHaveLength(2);
  }, 60_000);
});

/** Starts a download, reads until the stream stalls (the client stops reading), and leaves it open. */
function pausedDownload(url: string, token: string): Promise<{ received: () => number; abort: () => void }> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const req = request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      expect(res.statusCode).toBe(200);
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        // Read about 1 MB, then stop reading: the socket's buffers fill and the server's writes stall.
        if (bytes > 1_000_000) res.pause();
      });
      setTimeout(() => resolve({ received: () => bytes, abort: () => req.destroy() }), 1_000);
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET") reject(error);
    });
    req.end();
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
