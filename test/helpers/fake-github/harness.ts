/**
 * Starts the fake GitHub and the real Probot server (through Probot's own `run`, reading the same
 * environment variables as production, `GHE_HOST`/`GHE_PROTOCOL` pointing at the fake) with a
 * freshly generated RSA key that never touches the disk.
 */
import { createServices } from "../../../src/services/create-services.js";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import type { AuditTrail } from "../../../src/app/audit-trail.js";
import type { PrSentinelApp } from "../../../src/app/create-app.js";
import type { ScanState } from "../../../src/app/state/scan-state.js";
import { loadEnv } from "../../../src/app/env.js";
import { PrSentinelOctokit } from "../../../src/app/github/pr-sentinel-octokit.js";
import { startServer, type RunningServer } from "../../../src/app/server.js";
import type { Check } from "../../../src/core/types.js";
import { FakeGitHub } from "./server.js";
import { sendWebhook, type Delivery } from "./webhooks.js";
import { freePort } from "../free-port.js";

export const APP_ID = 424_242;
export const WEBHOOK_SECRET = "fake-webhook-secret-for-tests";

export interface HarnessOptions {
  readonly checks?: readonly Check[];
  /** Probot's default write pacing (1 s between writes, 3 s for notifying ones). Off in tests for speed. */
  readonly pacing?: boolean;
  readonly latencyMs?: number;
  readonly logLevel?: string;
  /**
   * Call the fake as github.com (`/repos/...`, `/graphql`) instead of as GitHub Enterprise Server
   * (`/api/v3/repos/...`). Octokit's throttling recognises token and notifying routes by their
   * github.com paths, so only this mode paces writes exactly as against github.com.
   */
  readonly dotcomPaths?: boolean;
  /** Loopback fakes of OSV and the npm registry for the dependencies check (default: a closed port). */
  readonly osvApiUrl?: string;
  readonly npmRegistryUrl?: string;
  /** Queue mode: BullMQ on this Redis (a real redis-server), jobs worked by this process. */
  readonly redisUrl?: string;
  /** Queue mode: run jobs inline (with `checks`) or in sandboxed children (built-in checks). */
  readonly processor?: "inline" | "sandboxed";
  readonly workerConcurrency?: number;
  /** QUEUE_LOCK_SECONDS: how soon a dead worker's job is taken by another. */
  readonly queueLockSeconds?: number;
  /** A second replica: the same fake GitHub and App key as this harness (stopping it leaves the fake running). */
  readonly replicaOf?: Harness;
  /** The audit trail: PostgreSQL at this URL; by default SQLite in a temporary DATA_DIR of its own. */
  readonly databaseUrl?: string;
  /** The App's scan state and audit trail, instead of the ones it builds (tests that watch the order of their writes). */
  readonly state?: ScanState;
  readonly audit?: AuditTrail;
}

export interface Harness {
  readonly fake: FakeGitHub;
  readonly app: PrSentinelApp;
  readonly server: RunningServer;
  readonly baseUrl: string;
  readonly logs: string[];
  readonly privateKey: string;
  /** DATA_DIR of the audit trail's SQLite file (a replica shares its primary's). */
  readonly dataDir: string;
  send(name: string, payload: Record<string, unknown>, id?: string): Promise<Delivery>;
  stop(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const shared = options.replicaOf;
  const { privateKey, publicKey } = shared
    ? { privateKey: shared.privateKey, publicKey: "" }
    : generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
  const fake = shared?.fake ?? new FakeGitHub({ appId: APP_ID, publicKey: createPublicKey(publicKey), latencyMs: options.latencyMs });
  if (!shared) await fake.start();
  const port = await freePort();
  const dataDir = shared?.dataDir ?? mkdtempSync(join(tmpdir(), "pr-sentinel-audit-"));
  const envVars = {
    APP_ID: String(APP_ID),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET,
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
    HOST: "127.0.0.1",
    PORT: String(port),
    LOG_LEVEL: (options.logLevel ?? "info") as "info",
    NODE_ENV: "test",
    // Tests never reach the internet: service clients get a closed loopback port.
    OSV_API_URL: options.osvApiUrl ?? "http://127.0.0.1:9",
    NPM_REGISTRY_URL: options.npmRegistryUrl ?? "http://127.0.0.1:9",
    DATA_DIR: dataDir,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...(options.workerConcurrency !== undefined ? { WORKER_CONCURRENCY: String(options.workerConcurrency) } : {}),
    ...(options.queueLockSeconds !== undefined ? { QUEUE_LOCK_SECONDS: String(options.queueLockSeconds) } : {}),
  };
  const logs: string[] = [];
  const log = pino(
    { level: options.logLevel ?? "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString("utf8"));
        done();
      },
    }),
  );
  const env = loadEnv(envVars);
  const dotcomBaseUrl = `http://${fake.host}`;
  const Octokit =
    options.pacing && !options.dotcomPaths
      ? undefined
      : PrSentinelOctokit.defaults((instance: Record<string, unknown>) => ({
          ...instance,
          ...(options.dotcomPaths ? { baseUrl: dotcomBaseUrl } : {}),
          ...(options.pacing
            ? {}
            : { throttle: { ...(instance.throttle as object | undefined), enabled: false }, retry: { enabled: false } }),
        }));
  const server = await startServer({
    env,
    rawEnv: envVars as NodeJS.ProcessEnv,
    log,
    ...(Octokit ? { Octokit: Octokit as typeof PrSentinelOctokit } : {}),
    checks: options.checks,
    services: createServices(env, { offline: false, fetch: loopbackOnlyFetch }),
    processor: options.processor ?? "inline",
    childEnv: { ...process.env, ...envVars },
    ...(options.state ? { state: options.state } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    // Fast retries, so fault tests take seconds; the rules are production's.
    tuning: { retry: { baseDelayMs: 20, maxWaitMs: 5_000 }, jobBackoffMs: 100, headPollMs: 50 },
  });
  const app = server.app;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    fake,
    app,
    server,
    baseUrl,
    logs,
    privateKey,
    dataDir,
    send: (name, payload, id) => sendWebhook(`${baseUrl}/api/github/webhooks`, WEBHOOK_SECRET, name, payload, id),
    async stop() {
      await app.idle();
      await server.stop(5_000);
      if (!shared) {
        await fake.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}


/** `fetch` for checks under test: loopback only, so no test can reach the network by accident. */
const loopbackOnlyFetch: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
    throw new Error(`tests may not reach ${url.origin}`);
  }
  return fetch(input, init);
};
