/**
 * `POST /api/v1/scan` through real HTTP with real tokens (issued by `pr-sentinel tokens create`),
 * on SQLite and on PostgreSQL. Every answer is validated against docs/api/openapi.yaml by the
 * harness before a test looks at it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { builtinChecks } from "../../../src/checks/index.js";
import { generateToken } from "../../../src/posture/api/token-format.js";
import { bothDatabases } from "../../helpers/postgres-server.js";
import { startApi, type RunningApi } from "./api-harness.js";
import { holdingCheck, newFileDiff, plantedGithubToken } from "./fixtures.js";

type Finding = { ruleId: string; path: string; startLine: number; evidence: string | null; fingerprint: string };
type Outcome = { checkId: string; status: string; message: string | null };
type Report = { verdict: { conclusion: string; failOn: string }; findings: Finding[]; outcomes: Outcome[]; suppressed: { allowlist: number }; scope: null };

const report = (json: Record<string, unknown>) => json as unknown as Report;

const databases = bothDatabases();

describe.each(databases)("the scan API on $name", ({ url, skip }) => {
  let api: RunningApi;
  let databaseUrl: string | undefined;
  beforeAll(async () => {
    if (skip) return;
    databaseUrl = await url();
    api = await startApi({ ...(databaseUrl ? { databaseUrl } : {}) });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });
  const test = skip ? it.skip : it;

  test("scans a diff and answers the engine's report, the secret redacted", async () => {
    const secret = plantedGithubToken();
    const diff = newFileDiff("src/config.ts", ["export const a = 1;", `const token = "${secret}";`]);
    const res = await api.post({ diff });
    expect(res.status).toBe(200);
    expect(res.headers["x-pr-sentinel-conclusion"]).toBe("fail");
    const body = report(res.json);
    expect(body.scope).toBeNull();
    expect(body.verdict.conclusion).toBe("fail");
    expect(body.findings).toEqual([expect.objectContaining({ ruleId: "secrets/github-classic-pat", path: "src/config.ts", startLine: 2 })]);
    expect(res.text).not.toContain(secret);
    expect(res.text).not.toContain(secret.slice(4, 24));
    expect(body.outcomes.map((o) => o.checkId)).toEqual(builtinChecks.map((c) => c.meta.id).sort());
    const clean = report((await api.post({ diff: newFileDiff("src/clean.ts", ["export const a = 1;"]) })).json);
    expect(clean.verdict.conclusion).toBe("pass");
    expect(clean.outcomes.every((o) => o.status === "ok")).toBe(true);
  });

  test("says which checks could not judge a diff without whole files, never passing them silently", async () => {
    const workflow = newFileDiff(".github/workflows/ci.yml", ["on: pull_request_target", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    steps:", "      - uses: actions/checkout@v4", "        with:", "          ref: ${{ github.event.pull_request.head.sha }}"]);
    const lockfile = [
      "diff --git a/package-lock.json b/package-lock.json",
      "--- a/package-lock.json",
      "+++ b/package-lock.json",
      "@@ -10,3 +10,4 @@",
      "     },",
      '+    "node_modules/left-pad": { "version": "1.3.0" },',
      '     "node_modules/b": {',
      '       "version": "1.0.0"',
      "",
    ].join("\n");
    const res = await api.post({ diff: `${workflow}${lockfile}` });
    expect(res.status).toBe(200);
    const body = report(res.json);
    const notOk = body.outcomes.filter((o) => o.status !== "ok");
    expect(notOk.length).toBeGreaterThan(0);
    expect(body.verdict.conclusion).not.toBe("pass");
    for (const o of notOk) expect(o.message).toBeTruthy();
  });

  test("scans files with contents: only lines added against base_content count", async () => {
    const secret = plantedGithubToken();
    const base = `const old = "${secret}";\nexport {};\n`;
    const unchanged = await api.post({ files: [{ path: "a.ts", content: `${base}// new comment\n`, base_content: base }] });
    expect(report(unchanged.json).findings).toEqual([]);
    expect(report(unchanged.json).verdict.conclusion).toBe("pass");
    const added = await api.post({ files: [{ path: "b.ts", content: `export {};\nconst t = "${secret}";\n` }] });
    expect(report(added.json).findings).toEqual([expect.objectContaining({ path: "b.ts", startLine: 2 })]);
  });

  test("takes the CLI's options: fail_on, checks, config (same schema), format", async () => {
    const secret = plantedGithubToken();
    const diff = newFileDiff("k.ts", [`const k = "${secret}";`]);
    const never = await api.post({ diff, fail_on: "never" });
    expect(report(never.json).verdict).toMatchObject({ conclusion: "pass", failOn: "never" });
    const disabled = await api.post({ diff, checks: { disable: ["secrets"] } });
    expect(report(disabled.json).outcomes.find((o) => o.checkId === "secrets")?.status).toBe("disabled");
    expect(report(disabled.json).findings).toEqual([]);
    const first = report((await api.post({ diff })).json).findings[0]!;
    const allowed = await api.post({ diff, config: { allowlist: [{ fingerprint: first.fingerprint, reason: "test vector" }] } });
    expect(report(allowed.json).suppressed.allowlist).toBe(1);
    const sarif = await api.post({ diff, format: "sarif" });
    expect(sarif.headers["content-type"]).toBe("application/sarif+json");
    expect(sarif.json).toMatchObject({ version: "2.1.0" });
    expect(sarif.text).not.toContain(secret);
  });

  test("answers 400 naming what is wrong, with a JSON pointer", async () => {
    const cases: [body: string | object, pointer: string, detail: RegExp][] = [
      ["{not json", "", /not valid JSON/],
      ["[1]", "", /JSON object/],
      [{ diff: "x", files: [{ path: "a", content: "" }] }, "", /exactly one/],
      [{ diff: newFileDiff("a.ts", ["x"]), colour: "red" }, "", /unknown key "colour"/],
      [{ files: [{ path: "../etc/passwd", content: "" }] }, "/files/0/path", /relative path/],
      [{ files: [{ path: "a", content: "" }, { path: "a", content: "" }] }, "/files/1/path", /same path/],
      [{ diff: "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1,2 +1,2 @@\n x\n*y\n" }, "/diff", /line 6: the hunk that starts at line 4 ends early/],
      [{ diff: "--- a/a\n+++ b/a\n@@ -1 +1,x @@\n+y\n" }, "/diff", /line 3: malformed hunk header/],
      [{ diff: "hello\n" }, "/diff", /line 1: no file in the diff/],
      [{ diff: newFileDiff("a.ts", ["x"]), config: { checks: { secrets: { entropy: "high" } } } }, "/config/checks/secrets", /checks\.secrets/],
      [{ diff: newFileDiff("a.ts", ["x"]), config: { _extends: "org/.github" } }, "/config/_extends", /merged config/],
      [{ diff: newFileDiff("a.ts", ["x"]), checks: { enable: ["nope"] } }, "/checks/enable/0", /unknown check "nope"/],
      [{ diff: newFileDiff("a.ts", ["x"]), fail_on: "sometimes" }, "/fail_on", /./],
      [{ diff: newFileDiff("a.ts", ["x"]), config: { paths: { ignore: [3] } } }, "/config/paths/ignore/0", /expected string/],
      // Hostile nesting is refused at its first level, without walking it.
      [`{"diff":"x","config":{"allowlist":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`, "/config/allowlist/0", /expected object/],
    ];
    for (const [body, pointer, detail] of cases) {
      const res = await api.post(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.headers["content-type"]).toBe("application/problem+json");
      const errors = res.json.errors as { pointer: string; detail: string }[];
      expect(errors.some((e) => e.pointer.startsWith(pointer) && detail.test(e.detail)), JSON.stringify(errors)).toBe(true);
    }
  });

  test("answers 401 without a valid token and 403 once it is revoked", async () => {
    const none = await api.post({ diff: "x" }, { token: "" });
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="pr-sentinel"');
    for (const token of ["prs_short", `${generateToken().slice(0, -1)}x`, generateToken()]) {
      const res = await api.post({ diff: "x" }, { token });
      expect(res.status).toBe(401);
      expect(res.headers["www-authenticate"]).toContain('error="invalid_token"');
    }
    const token = await api.issueToken("to-revoke");
    expect((await api.post({ diff: newFileDiff("a.ts", ["x"]) }, { token })).status).toBe(200);
    const label = token.slice(0, 12);
    expect((await api.tokens(["revoke", label])).code).toBe(0);
    const revoked = await api.post({ diff: newFileDiff("a.ts", ["x"]) }, { token });
    expect(revoked.status).toBe(403);
    expect(revoked.json.detail).toContain(label);

    const expiring = await api.issueToken("expiring", ["--expires", "1h"]);
    await sql`update api_tokens set expires_at = ${"2000-01-01T00:00:00.000Z"} where label = ${expiring.slice(0, 12)}`.execute(api.store.db);
    expect((await api.post({ diff: "x" }, { token: expiring })).status).toBe(401);
  });

  test("answers 415 for a body that is not JSON, 405 for another method, and leaves other paths alone", async () => {
    const text = await api.post("diff", { headers: { "content-type": "text/plain" } });
    expect(text.status).toBe(415);
    const get = await api.post("", { method: "GET" });
    expect(get).toMatchObject({ status: 405, headers: { allow: "POST" } });
    const other = await api.post({ diff: "x" }, { path: "/api/v1/other" });
    expect(other.status).toBe(404);
  });

  test("answers 413 for a body over the limit without reading it all", async () => {
    const limited = await startApi({ ...(databaseUrl ? { databaseUrl } : {}), limits: { maxBodyBytes: 64 * 1024 } });
    try {
      const big = JSON.stringify({ diff: newFileDiff("a.ts", Array.from({ length: 200_000 }, (_, i) => `line ${i}`)) });
      const declared = await limited.post(big);
      expect(declared.status).toBe(413);
      expect(declared.headers.connection).toBe("close");
      const chunked = await limited.post(big, { chunked: 16 * 1024 });
      expect(chunked.status).toBe(413);
      const logged = limited.logs.map((l) => JSON.parse(l) as { msg: string; status?: number; bytes?: number }).filter((l) => l.msg === "scan API request" && l.status === 413);
      expect(logged.map((l) => l.bytes)).toEqual([big.length, expect.any(Number)]);
      // Reading stops at the first chunk past the limit.
      expect(logged[1]!.bytes).toBeLessThanOrEqual(64 * 1024 + 64 * 1024);
      const fits = await limited.post({ diff: newFileDiff("a.ts", ["x"]) });
      expect(fits.status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  test("answers 429 with Retry-After once a token's rate is spent", async () => {
    let now = 1_000_000;
    const limited = await startApi({ ...(databaseUrl ? { databaseUrl: await url() } : {}), now: () => now });
    try {
      const token = await limited.issueToken("slow-client", ["--rate", "2/min"]);
      const diff = newFileDiff("a.ts", ["x"]);
      expect((await limited.post({ diff }, { token })).status).toBe(200);
      expect((await limited.post({ diff }, { token })).status).toBe(200);
      const spent = await limited.post({ diff }, { token });
      expect(spent.status).toBe(429);
      expect(spent.headers["retry-after"]).toBe("30");
      // Another token is not affected.
      expect((await limited.post({ diff })).status).toBe(200);
      now += 30_000;
      expect((await limited.post({ diff }, { token })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  test("runs at most N scans, queues a bounded number, and answers 503 with Retry-After past that", async () => {
    const hold = holdingCheck();
    const gated = await startApi({ ...(databaseUrl ? { databaseUrl: await url() } : {}), checks: [hold.check], limits: { concurrency: 1, queue: 1 } });
    try {
      const diff = newFileDiff("a.ts", ["x"]);
      const first = gated.post({ diff });
      await waitFor(() => hold.started() === 1);
      const second = gated.post({ diff });
      await waitFor(() => gated.handler.stats().waiting === 1);
      const third = await gated.post({ diff });
      expect(third.status).toBe(503);
      expect(Number(third.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(gated.handler.stats()).toEqual({ running: 1, waiting: 1 });
      hold.release();
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      expect(gated.handler.stats()).toEqual({ running: 0, waiting: 0 });
    } finally {
      hold.release();
      await gated.close();
    }
  });

  test("stores no part of a scanned secret or of a token, and logs neither", async () => {
    const secret = plantedGithubToken();
    const token = await api.issueToken("secret-check");
    const res = await api.post({ diff: newFileDiff("leak.ts", [`const t = "${secret}";`]) }, { token });
    expect(res.status).toBe(200);
    const stored = await databaseText(api, databaseUrl);
    const logs = api.logs.join("\n");
    // The secret's whole random part; the token's past its public label (`prs_` + 8, listed and logged on purpose).
    for (const random of [secret.slice(4), token.slice(12)]) {
      for (const haystack of [stored, logs]) {
        // No 8-character window of it is anywhere.
        for (let i = 0; i + 8 <= random.length; i++) expect(haystack.includes(random.slice(i, i + 8)), `window ${i} of ${random.length}`).toBe(false);
      }
    }
    expect(stored).toContain(token.slice(0, 12));
    expect(logs).toContain(token.slice(0, 12));
    expect(logs).not.toContain("leak.ts\",\"content");
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every byte the database holds: the SQLite files as they are on disk, or every PostgreSQL row as text. */
async function databaseText(api: RunningApi, databaseUrl: string | undefined): Promise<string> {
  if (!databaseUrl) {
    const dir = api.env.DATA_DIR!;
    return readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString("latin1")).join("\n");
  }
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(api.store.db);
  const dumps: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(api.store.db);
    dumps.push(...rows.rows.map((r) => r.row));
  }
  return dumps.join("\n");
}
