/**
 * `npm run setup` as a process (`node dist/app/setup.js`): Probot's registration flow, found where
 * pr-sentinel loads it from, on a server that answers `/healthz` before the App exists; off in
 * production; a no-op once the App is registered.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SETUP = fileURLToPath(new URL("../../dist/app/setup.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function start(env: Record<string, string>) {
  // NO_SMEE_SETUP: Probot would otherwise ask smee.io for a webhook channel (the network).
  const child = spawn(process.execPath, [SETUP], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_SMEE_SETUP: "true", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe.runIf(existsSync(SETUP))("the setup server", () => {
  it("answers /healthz and serves Probot's registration page with the App's manifest", async () => {
    const run = start({ NODE_ENV: "development", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" });
    let port: number | undefined;
    const deadline = Date.now() + 20_000;
    while (port === undefined && Date.now() < deadline && run.child.exitCode === null) {
      const match = /Listening on http:\/\/[^:]+:(\d+)/.exec(run.out());
      if (match) port = Number(match[1]);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    try {
      expect(port, run.err() + run.out()).toBeGreaterThan(0);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "setup" });
      const page = await fetch(`http://127.0.0.1:${port}/probot`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("PR Sentinel");
      // The manifest Probot posts to GitHub points webhooks at the server's root, which the
      // production server (server.ts) routes to the webhook path.
      expect(html).toContain(`hook_attributes":{"url":"http://127.0.0.1:${port}/"}`);
    } finally {
      run.child.kill("SIGTERM");
      await run.exited;
    }
  }, 30_000);

  it("refuses in production and does nothing once the App is registered", async () => {
    const production = start({ NODE_ENV: "production", PORT: "0" });
    expect(await production.exited).toBe(1);
    expect(production.err()).toContain("registration flow is off");
    const registered = start({ NODE_ENV: "development", APP_ID: "123", PRIVATE_KEY: "set", PORT: "0" });
    expect(await registered.exited).toBe(0);
    expect(registered.out()).toContain("registered already");
  }, 30_000);
});
