/**
 * The dashboard over HTTP against a real store, on SQLite and PostgreSQL: records go in through the
 * audit store's `append` (built by the real `auditRecordFromScan`), people sign in through the fake
 * GitHub OAuth flow, and each sees only the repositories GitHub says they can access.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../../src/core/types.js";
import { openAuditStore } from "../../../src/posture/audit/open-store.js";
import { postgresMode, startPostgresServer, type PostgresServer } from "../../helpers/postgres-server.js";
import { finding, record, scanResult } from "../audit/fixtures.js";
import { get, Jar, signIn, silent, sqliteFactory, startDashboard, type Dashboard, type StoreFactory } from "./harness.js";

const dirs: string[] = [];
let pg: PostgresServer | undefined;
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await pg?.stop();
});

const HOSTILE_RULE = `secrets/<img src=x onerror=alert(1)>`;

function suite(factory: () => StoreFactory) {
  let dashboard: Dashboard;
  beforeAll(async () => {
    const clock = { now: new Date("2026-11-20T12:00:00Z") };
    const store = await factory().open(() => clock.now);
    const failing = (rule: string, path: string): Finding => finding({ ruleId: rule, path, severity: "high" });
    // widgets: two scans of #7 (the later fails), one of #8 (passes); gadgets: #3 fails; tools: #1 fails.
    await store.append(record({ repo: "acme/widgets", pullNumber: 7, result: scanResult([]) }));
    await store.append(record({ repo: "acme/widgets", pullNumber: 7, result: scanResult([failing("secrets/aws-access-key", "src/a.ts"), failing(HOSTILE_RULE, "src/<b>.ts")]) }));
    await store.append(record({ repo: "acme/widgets", pullNumber: 8, result: scanResult([]) }));
    await store.append(record({ repo: "acme/gadgets", pullNumber: 3, result: scanResult([failing("secrets/github-classic-pat", "lib/x.js")]) }));
    await store.append(record({ repo: "other-org/tools", pullNumber: 1, result: scanResult([failing("secrets/slack-webhook", "ci.yml")]) }));
    dashboard = await startDashboard(store, clock);
  });
  afterAll(async () => {
    await dashboard?.close();
    await dashboard?.store.close();
  });

  it("shows the sign-in page, with the security headers, to someone not signed in", async () => {
    const response = await get(new Jar(), `${dashboard.url}/dashboard`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('href="/dashboard/login"');
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBeTruthy();
  });

  it("signs in through GitHub and shows the overview of the user's repositories, chart drawn", async () => {
    const jar = await signIn(dashboard, "alice");
    const session = jar.cookies.get("prs_session")!;
    expect(session).toBeTruthy();
    expect(Buffer.from(session, "base64url").toString("latin1")).not.toContain("alice");
    const response = await get(jar, `${dashboard.url}/dashboard`);
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain("Signed in as <strong>alice</strong>");
    expect(page).toContain('href="/dashboard/repos/acme/widgets/pulls/7"');
    expect(page).toContain('href="/dashboard/repos/acme/gadgets/pulls/3"');
    expect(page).toContain('href="/dashboard/repos/other-org/tools/pulls/1"');
    expect(page).not.toContain("pulls/8\""); // #8 passes
    expect(page).toMatch(/Failing pull requests now \(3\)/);
    const chart = /<figure class="chart" id="chart-findings">([\s\S]*?)<\/figure>/.exec(page)![1]!;
    expect(chart).toContain("<svg");
    expect(chart.match(/<rect /g)?.length ?? 0).toBeGreaterThan(0);
    expect(page).not.toMatch(/<style|style="|<script/i);
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("lists allowlist entries expiring within 14 days", async () => {
    const soon = new Date(dashboard.clock.now.getTime() + 5 * 86_400_000).toISOString().slice(0, 10);
    const rec = record({ repo: "acme/gadgets", pullNumber: 4, result: scanResult([]) });
    await dashboard.store.append({
      ...rec,
      suppressions: { ...rec.suppressions, allowlist: { count: 0, entries: [{ fingerprint: "f00dfeed00112233", reason: "rotating <soon>", expires: soon, findings: 0 }] } },
    });
    const page = await (await get(await signIn(dashboard, "bob"), `${dashboard.url}/dashboard`)).text();
    expect(page).toContain("rotating &lt;soon&gt;");
    expect(page).toContain(soon);
  });

  it("a second user sees only their repository, and cannot open another by URL", async () => {
    const jar = await signIn(dashboard, "bob");
    const page = await (await get(jar, `${dashboard.url}/dashboard`)).text();
    expect(page).toContain("acme/gadgets");
    expect(page).not.toContain("acme/widgets");
    expect(page).not.toContain("other-org/tools");
    expect(page).not.toContain("aws-access-key");
    for (const path of ["/dashboard/repos/acme/widgets", "/dashboard/repos/acme/widgets/pulls/7", "/dashboard/repos/ACME/Widgets/pulls/7"]) {
      const response = await get(jar, dashboard.url + path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain("aws-access-key");
    }
    expect((await get(jar, `${dashboard.url}/dashboard/repos/acme/gadgets/pulls/3`)).status).toBe(200);
  });

  it("shows a repository and a pull request with links back to GitHub", async () => {
    const jar = await signIn(dashboard, "alice");
    const repo = await (await get(jar, `${dashboard.url}/dashboard/repos/acme/widgets`)).text();
    expect(repo).toContain(`href="${dashboard.oauth.url}/acme/widgets"`);
    expect(repo).toMatch(/id="chart-trend"><svg/);
    expect(repo).toMatch(new RegExp(`href="${dashboard.oauth.url}/acme/widgets/runs/\\d+"`));
    const pull = await (await get(jar, `${dashboard.url}/dashboard/repos/acme/widgets/pulls/7`)).text();
    expect(pull).toContain(`href="${dashboard.oauth.url}/acme/widgets/pull/7"`);
    expect(pull).toContain("<code>secrets/aws-access-key</code>");
    expect(pull).toContain("<code>src/&lt;b&gt;.ts</code>");
    expect((await get(jar, `${dashboard.url}/dashboard/repos/acme/widgets/pulls/999`)).status).toBe(404);
  });

  it("shows a newly recorded scan on the next load of the same session's overview", async () => {
    const jar = await signIn(dashboard, "alice");
    expect(await (await get(jar, `${dashboard.url}/dashboard`)).text()).not.toContain("pulls/99");
    await dashboard.store.append(record({ repo: "acme/widgets", pullNumber: 99, result: scanResult([finding({ severity: "critical" })]) }));
    expect(await (await get(jar, `${dashboard.url}/dashboard`)).text()).toContain('href="/dashboard/repos/acme/widgets/pulls/99"');
  });

  it("refuses a callback whose state was not issued to this browser", async () => {
    const jar = new Jar();
    await get(jar, `${dashboard.url}/dashboard/login`);
    const response = await get(jar, `${dashboard.url}/dashboard/oauth/callback?code=abc&state=forged`);
    expect(response.status).toBe(400);
    expect(jar.cookies.has("prs_session")).toBe(false);
  });

  it("rejects an altered session cookie", async () => {
    const jar = await signIn(dashboard, "alice");
    const value = jar.cookies.get("prs_session")!;
    jar.cookies.set("prs_session", (value[0] === "A" ? "B" : "A") + value.slice(1));
    expect(await (await get(jar, `${dashboard.url}/dashboard`)).text()).toContain('href="/dashboard/login"');
  });

  it("logs out only with the form's CSRF token, and the session is gone afterwards", async () => {
    const jar = await signIn(dashboard, "alice");
    const stolen = jar.cookies.get("prs_session")!;
    const page = await (await get(jar, `${dashboard.url}/dashboard`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect((await get(jar, `${dashboard.url}/dashboard/logout`, { method: "POST", headers: form, body: "csrf=wrong" })).status).toBe(403);
    expect((await get(jar, `${dashboard.url}/dashboard/logout`, { method: "POST", headers: { ...form, origin: "https://evil.example" }, body: `csrf=${csrf}` })).status).toBe(403);
    expect((await get(jar, `${dashboard.url}/dashboard/logout`)).status).toBe(405);
    const out = await get(jar, `${dashboard.url}/dashboard/logout`, { method: "POST", headers: form, body: `csrf=${encodeURIComponent(csrf)}` });
    expect(out.status).toBe(303);
    expect(jar.cookies.has("prs_session")).toBe(false);
    const replay = new Jar();
    replay.cookies.set("prs_session", stolen);
    expect(await (await get(replay, `${dashboard.url}/dashboard`)).text()).toContain('href="/dashboard/login"');
  });

  it("re-checks access after 10 minutes: lost access disappears, a revoked token signs out", async () => {
    const jar = await signIn(dashboard, "alice");
    dashboard.oauth.users.get("alice")!.installations = { 7: ["acme/gadgets"] };
    expect(await (await get(jar, `${dashboard.url}/dashboard`)).text()).toContain("acme/widgets");
    dashboard.clock.now = new Date(dashboard.clock.now.getTime() + 11 * 60_000);
    const later = await (await get(jar, `${dashboard.url}/dashboard`)).text();
    expect(later).not.toContain("acme/widgets");
    expect((await get(jar, `${dashboard.url}/dashboard/repos/acme/widgets`)).status).toBe(404);
    dashboard.oauth.revokeTokens("alice");
    dashboard.clock.now = new Date(dashboard.clock.now.getTime() + 11 * 60_000);
    expect(await (await get(jar, `${dashboard.url}/dashboard`)).text()).toContain('href="/dashboard/login"');
    dashboard.oauth.users.get("alice")!.installations = { 7: ["acme/widgets", "acme/gadgets"], 8: ["other-org/tools"] };
  });

  it("ends a session after 8 hours", async () => {
    const jar = await signIn(dashboard, "bob");
    dashboard.clock.now = new Date(dashboard.clock.now.getTime() + 8 * 3_600_000 + 1000);
    expect(await (await get(jar, `${dashboard.url}/dashboard`)).text()).toContain('href="/dashboard/login"');
  });
}

describe("dashboard on SQLite", () => suite(() => sqliteFactory(dirs)));

describe.skipIf(postgresMode() === "skip")("dashboard on PostgreSQL", () => {
  beforeAll(async () => {
    pg = await startPostgresServer();
  }, 60_000);
  suite(() => ({
    name: "PostgreSQL",
    open: async (now) => openAuditStore({ databaseUrl: await pg!.createDatabase(), logger: silent, now }),
  }));
});
