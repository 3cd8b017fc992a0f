/**
 * The production entry (`node dist/app/server.js`, what the container's CMD runs) as a process:
 * bad start-up input ends with one message naming every problem and no stack trace; SIGTERM, as
 * `docker stop` sends it to that process, shuts it down cleanly with exit code 0.
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const SERVER = fileURLToPath(new URL("../../dist/app/server.js", import.meta.url));
const RSA_PEM = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;

// The audit trail's SQLite file goes to a folder of the test's own, not into the repository.
const DATA_DIR = mkdtempSync(join(tmpdir(), "pr-sentinel-startup-"));
afterAll(() => rmSync(DATA_DIR, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [SERVER], { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe.runIf(existsSync(SERVER))("the server process", () => {
  it("names every bad start-up input in one message, with no stack trace, and exits non-zero", async () => {
    const run = start({ NODE_ENV: "production", APP_ID: "not-a-number", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----", PORT: "70000" });
    const { code } = await run.exited;
    expect(code).toBe(1);
    const err = run.err();
    expect(err).toMatch(/^pr-sentinel cannot start, the environment is invalid:/);
    expect(err).toMatch(/- APP_ID: /);
    expect(err).toMatch(/- PRIVATE_KEY: does not parse as a private key/);
    expect(err).toMatch(/- WEBHOOK_SECRET: is missing/);
    expect(err).toMatch(/- PORT: /);
    expect(err).not.toMatch(/\n\s+at /);
    expect(err).not.toContain("nope");
  }, 30_000);

  it("answers /healthz, then on SIGTERM stops taking webhooks and exits 0", async () => {
    const run = start({ NODE_ENV: "production", APP_ID: "12345", PRIVATE_KEY: RSA_PEM, WEBHOOK_SECRET: "s3cret-for-test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", SHUTDOWN_GRACE_SECONDS: "2" });
    let port: number | undefined;
    const deadline = Date.now() + 20_000;
    while (port === undefined && Date.now() < deadline && run.child.exitCode === null) {
      const line = run.out().split("\n").find((l) => l.includes("pr-sentinel listening"));
      if (line) port = (JSON.parse(line) as { port: number }).port;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(port, run.err()).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", queue: "in-process" });
    run.child.kill("SIGTERM");
    const { code, signal } = await run.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(run.out()).toContain("shutting down");
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 30_000);
});
