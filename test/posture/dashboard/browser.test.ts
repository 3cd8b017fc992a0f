/**
 * The dashboard as a person uses it, in Debian's headless Chromium driven by playwright-core:
 * sign in through the fake GitHub's authorize page, open the overview, a repository and a pull
 * request, see the charts drawn; a second user does not see, nor can open by URL, a repository
 * they cannot access. The CSP is enforced by the browser: any blocked inline style or script shows
 * up as a console error, which fails the test. Screenshots go to bench/.work/screens/.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../../src/core/types.js";
import { finding, record, scanResult } from "../audit/fixtures.js";
import { sqliteFactory, startDashboard, type Dashboard } from "./harness.js";

const CHROMIUM = process.env.PR_SENTINEL_CHROMIUM ?? "/usr/bin/chromium";
const SCREENS = join(import.meta.dirname, "../../../bench/.work/screens");
const dirs: string[] = [];

describe.skipIf(!existsSync(CHROMIUM) && process.env.PR_SENTINEL_SKIP_BROWSER === "1")("dashboard in headless Chromium", () => {
  let dashboard: Dashboard;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium, or set PR_SENTINEL_SKIP_BROWSER=1 to skip on purpose`);
    const clock = { now: new Date("2026-11-20T12:00:00Z") };
    const store = await sqliteFactory(dirs).open(() => clock.now);
    const families = ["secrets", "dependencies", "policy"] as const;
    const records = [];
    // Twelve weeks of history in three repositories, so the charts have something to draw.
    for (let week = 11; week >= 0; week--) {
      for (const [r, repo] of ["acme/widgets", "acme/gadgets", "other-org/tools"].entries()) {
        const findings: Finding[] = [];
        for (let i = 0; i < ((week + r * 3) % 5) + (r === 0 ? 2 : 0); i++) {
          const checkId = families[(i + week) % 3]!;
          findings.push(finding({ checkId, ruleId: `${checkId}/rule-${(i * 7 + r) % 4}`, path: `src/file-${i}.ts`, startLine: i + 1, endLine: i + 1, severity: i % 2 ? "medium" : "high" }));
        }
        records.push({ at: new Date(clock.now.getTime() - week * 7 * 86_400_000), rec: record({ repo, pullNumber: 10 + week, result: scanResult(findings) }) });
      }
    }
    for (const { at, rec } of records) {
      clock.now = at;
      await store.append(rec);
    }
    clock.now = new Date("2026-11-20T12:00:00Z");
    dashboard = await startDashboard(store, clock);
    mkdirSync(SCREENS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      // playwright starts Chromium on a new, empty profile of its own (it refuses --user-data-dir here).
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await dashboard?.store.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(login: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${dashboard.url}/dashboard`);
    await page.click("#sign-in");
    await page.click(`#authorize-${login}`);
    await page.waitForURL(`${dashboard.url}/dashboard`);
    return { page, errors };
  }

  it("signs in, draws the overview's charts, opens a repository and a pull request", async () => {
    const { page, errors } = await signedIn("alice");
    expect(await page.locator("header .who").innerText()).toContain("alice");
    expect(await page.locator("#chart-findings svg rect[fill]").count()).toBeGreaterThan(5);
    expect(await page.locator(".riskiest svg path").count()).toBeGreaterThanOrEqual(3);
    // The stylesheet applied (CSP allows 'self'): the header has its background.
    expect(await page.locator("header").evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor)).toBe("rgb(246, 248, 250)");
    await page.screenshot({ path: join(SCREENS, "overview-alice.png"), fullPage: true });

    await page.click('a[href="/dashboard/repos/acme/widgets"] >> nth=0');
    expect(await page.locator("h1").innerText()).toContain("acme/widgets");
    expect(await page.locator("#chart-trend svg rect").count()).toBeGreaterThan(3);
    await page.screenshot({ path: join(SCREENS, "repository-acme-widgets.png"), fullPage: true });

    await page.click('table.scans a[href^="/dashboard/repos/acme/widgets/pulls/"] >> nth=0');
    await page.waitForURL(/\/pulls\/\d+$/);
    expect(await page.locator("h1").innerText()).toMatch(/acme\/widgets #\d+/);
    expect(await page.locator("table.findings tbody tr").count()).toBeGreaterThan(0);
    expect(await page.locator('a:has-text("Open on GitHub")').getAttribute("href")).toMatch(/\/acme\/widgets\/pull\/\d+$/);
    await page.screenshot({ path: join(SCREENS, "pull-request-acme-widgets.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a second user sees only their repository and gets 404 for another by URL", async () => {
    const { page, errors } = await signedIn("bob");
    const text = await page.locator("main").innerText();
    expect(text).toContain("acme/gadgets");
    expect(text).not.toContain("acme/widgets");
    expect(text).not.toContain("other-org/tools");
    await page.screenshot({ path: join(SCREENS, "overview-bob.png"), fullPage: true });
    const response = await page.goto(`${dashboard.url}/dashboard/repos/acme/widgets`);
    expect(response?.status()).toBe(404);
    await page.screenshot({ path: join(SCREENS, "bob-404-acme-widgets.png"), fullPage: true });
    expect((await page.goto(`${dashboard.url}/dashboard/repos/acme/widgets/pulls/10`))?.status()).toBe(404);

    await page.goto(`${dashboard.url}/dashboard`);
    await page.click('button:has-text("Sign out")');
    await page.locator("#sign-in").waitFor();
    expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
    await page.context().close();
  });
});
