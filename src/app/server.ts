/**
 * The production server (`npm start`): Probot's webhook middleware behind our own HTTP server, so
 * that our handlers run first (the webhook body limit, `/healthz`, `/metrics`) and SIGTERM shuts
 * down in order: stop taking webhooks, let running scans finish or hand them back, close Redis.
 * Probot's interactive setup flow (registering the App) is `npm run setup` (setup.ts).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import { createNodeMiddleware, createProbot } from "probot";
import { builtinChecks } from "../checks/index.js";
import { createApiGuard, createAuditApiHandler, createScanApiHandler, openApiTokenStore, scanApiLimits } from "../posture/api/index.js";
import { createDashboardHandler } from "../posture/dashboard/index.js";
import { createServices } from "../services/create-services.js";
import { AuditTrail } from "./audit-trail.js";
import { createApp, type AppOptions, type PrSentinelApp } from "./create-app.js";
import { githubBaseUrl, loadEnv, type AppEnv } from "./env.js";
import { PrSentinelOctokit } from "./github/pr-sentinel-octokit.js";

export interface StartServerOptions extends Omit<AppOptions, "env" | "logger"> {
  readonly env: AppEnv;
  /** The raw environment Probot reads its own settings from (key, secret, GHE host, Redis). */
  readonly rawEnv: NodeJS.ProcessEnv;
  readonly log: Logger;
  /** Octokit class for installation clients (tests switch off pacing). */
  readonly Octokit?: typeof PrSentinelOctokit;
}

export interface RunningServer {
  readonly app: PrSentinelApp;
  readonly port: number;
  /** Stops taking webhooks at once, then closes the app within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { env, log } = options;
  const audit = options.audit ?? new AuditTrail(env, log, { runRetention: true });
  const { scanApi, auditApi } = (await createApis(options, audit)) ?? {};
  const dashboard = await createDashboard(options, audit);
  const app = createApp({ ...options, env, logger: log, audit, ...(scanApi ? { scanApi } : {}), ...(auditApi ? { auditApi } : {}), ...(dashboard ? { dashboard } : {}) });
  const probot = createProbot({ env: options.rawEnv, overrides: { log, Octokit: options.Octokit ?? PrSentinelOctokit } });
  const middleware = await createNodeMiddleware(app.appFn, { probot, webhooksPath: env.WEBHOOK_PATH });
  const server: Server = createServer((req, res) => {
    // Probot's setup flow registers the App with its webhook URL at the server's root (`<base>/`),
    // not at WEBHOOK_PATH: a delivery POSTed to `/` is the same webhook, verified the same way.
    if (req.method === "POST" && req.url === "/") req.url = env.WEBHOOK_PATH;
    void middleware(req, res, () => {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
    });
  });
  // Idle keep-alive sockets must not hold a shutdown open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST ?? "localhost", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port, queue: env.REDIS_URL ? "redis" : "in-process", workers: env.WORKER_CONCURRENCY }, "pr-sentinel listening");
  return {
    app,
    port,
    async stop(graceMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await app.close(graceMs);
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * `POST /api/v1/scan` and `GET /api/v1/audit`, whose tokens live in the audit database, behind one
 * guard (a token's rate counts across both). Without a database at start-up the API is off
 * (logged); the App itself still works and records once the store opens.
 */
async function createApis(options: StartServerOptions, audit: AuditTrail) {
  const store = await audit.store();
  if (!store) {
    options.log.error("the scanning and audit APIs are off: their token store (the audit database) cannot be opened");
    return undefined;
  }
  const { env } = options;
  const tokens = await openApiTokenStore(store);
  const guard = createApiGuard({ tokens });
  const auditApi = createAuditApiHandler({ store, guard, logger: options.log });
  const scanApi = createScanApiHandler({
    tokens,
    guard,
    checks: options.checks ?? builtinChecks,
    logger: options.log,
    limits: scanApiLimits(env),
    ...(env.SCAN_API_SERVICES ? { services: options.services ?? createServices(env, { offline: false }) } : {}),
    ...(env.PR_SENTINEL_DOCS_URL ? { docsBaseUrl: env.PR_SENTINEL_DOCS_URL } : {}),
  });
  return { scanApi, auditApi };
}

/**
 * `/dashboard`, on when the App's OAuth client (GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, which the
 * setup flow writes) and DASHBOARD_COOKIE_KEY are set. It catches up with the audit trail at
 * start-up, so the first visitor does not wait for the whole trail to be read.
 */
async function createDashboard(options: StartServerOptions, audit: AuditTrail) {
  const { env, log } = options;
  if (!env.GITHUB_CLIENT_ID || !env.GITHUB_CLIENT_SECRET || !env.DASHBOARD_COOKIE_KEY) {
    log.info("the dashboard is off: set GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET and DASHBOARD_COOKIE_KEY to sign in with GitHub");
    return undefined;
  }
  const store = await audit.store();
  if (!store) {
    log.error("the dashboard is off: the audit database cannot be opened");
    return undefined;
  }
  const web = env.GHE_HOST ? `${env.GHE_PROTOCOL}://${env.GHE_HOST}` : "https://github.com";
  const dashboard = createDashboardHandler({
    store,
    github: { oauthClientId: env.GITHUB_CLIENT_ID, oauthClientSecret: env.GITHUB_CLIENT_SECRET, baseUrl: web, apiUrl: githubBaseUrl(env) },
    cookieKey: env.DASHBOARD_COOKIE_KEY,
    ...(env.DASHBOARD_PUBLIC_URL ? { publicUrl: env.DASHBOARD_PUBLIC_URL } : {}),
    logger: log,
  });
  void dashboard.sync().catch((error: unknown) => log.warn({ err: { message: (error as Error).message } }, "the dashboard could not catch up with the audit trail yet"));
  return dashboard;
}

/** `node dist/app/server.js`: validate the environment, start, and shut down on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let env: AppEnv;
  try {
    env = loadEnv();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const log = pino({ level: env.LOG_LEVEL, base: { name: "pr-sentinel" } });
  const running = await startServer({ env, rawEnv: process.env, log });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceSeconds: env.SHUTDOWN_GRACE_SECONDS }, "shutting down: no new webhooks; finishing running scans");
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: { message: (error as Error).message } }, "unclean shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) void main();
