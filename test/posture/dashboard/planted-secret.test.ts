/**
 * A secret planted in a scanned file is found by the real secrets check, recorded through the real
 * `auditRecordFromScan`, and then appears on no page of the dashboard: not whole, not in part (every
 * 8-character window of it is looked for), not in evidence, messages, titles or the chart.
 */
import { rmSync } from "node:fs";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { secretsCheck } from "../../../src/checks/secrets/index.js";
import { base62Crc32Checksum } from "../../../src/checks/secrets/validators/github-token.js";
import { configFromObject } from "../../../src/core/config/load-config.js";
import { runScan } from "../../../src/core/engine.js";
import { addedFile, BASE62, randomAwsPair, randomFrom } from "../../checks/secrets/harness.js";
import { record } from "../audit/fixtures.js";
import { get, signIn, sqliteFactory, startDashboard } from "./harness.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function windows(secret: string, size = 8): string[] {
  const out: string[] = [];
  // The first four characters are a provider's public prefix (ghp_, AKIA), not the secret.
  for (let i = 4; i + size <= secret.length; i++) out.push(secret.slice(i, i + size));
  return out;
}

describe("a planted secret on the dashboard", () => {
  it("appears on no page", async () => {
    const body = randomFrom(BASE62, 30);
    const pat = `ghp_${body}${base62Crc32Checksum(body)}`;
    const aws = randomAwsPair();
    const checks = [secretsCheck];
    const result = await runScan({
      files: [addedFile("src/settings.ts", ["export const settings = {", `  token: "${pat}",`, `  awsKeyId: "${aws.id}",`, `  awsSecret: "${aws.secret}",`, "};"])],
      config: configFromObject({ fail_on: "high" }, "test", checks),
      checks,
      logger: pino({ level: "silent" }),
      today: "2026-01-01",
    });
    expect(result.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(["secrets/github-classic-pat", "secrets/aws-access-key-id"]));

    const clock = { now: new Date("2026-11-20T12:00:00Z") };
    const store = await sqliteFactory(dirs).open(() => clock.now);
    await store.append(record({ repo: "acme/widgets", pullNumber: 7, result }));
    const dashboard = await startDashboard(store, clock);
    try {
      const jar = await signIn(dashboard, "alice");
      const pages: Record<string, string> = {};
      for (const path of ["/dashboard", "/dashboard/repos/acme/widgets", "/dashboard/repos/acme/widgets/pulls/7"]) {
        const response = await get(jar, dashboard.url + path);
        expect(response.status, path).toBe(200);
        pages[path] = await response.text();
      }
      // The pages really show the findings, so the search below looks where they are.
      expect(pages["/dashboard/repos/acme/widgets/pulls/7"]).toContain("secrets/github-classic-pat");
      expect(pages["/dashboard/repos/acme/widgets/pulls/7"]).toContain("src/settings.ts");
      for (const [path, page] of Object.entries(pages)) {
        for (const secret of [pat, aws.id, aws.secret]) {
          const leaked = windows(secret).find((w) => page.includes(w));
          expect(leaked, `${path} shows part of a planted secret`).toBeUndefined();
        }
      }
    } finally {
      await dashboard.close();
      await store.close();
    }
  });
});
