/**
 * `npm run setup` (`node dist/app/setup.js`): Probot's flow that registers the GitHub App from
 * `app.yml` and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to `.env`, on a server that also
 * answers `GET /healthz`, so probes and `docker compose` health checks work before the App exists.
 *
 * `probot run` offers no way to add a route in setup mode (it builds its server and starts it in
 * one call), so this builds the same server from Probot's exported `Server`, with Probot's own
 * setup handler. That handler is not among the package's exports: it is loaded by file, next to
 * Probot's entry, and test/app/setup-server.test.ts pins it (a Probot upgrade that moves it fails
 * there, not in a user's first five minutes).
 *
 * The flow is off in production (as in Probot: it would let anyone who reaches the server register
 * an App in its place), and pointless once APP_ID and a private key are set.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { pino, type Logger } from "pino";
import { Probot, Server } from "probot";

type SetupAppFactory = (options: { host: string; port: number; log: Logger }) => () => Promise<(req: IncomingMessage, res: ServerResponse) => Promise<boolean>>;

/** `GET /healthz` while the App is not registered yet: up, and saying what to do next. */
export function setupHealthHandler(req: IncomingMessage, res: ServerResponse): boolean {
  if ((req.method !== "GET" && req.method !== "HEAD") || (req.url ?? "").split("?")[0] !== "/healthz") return false;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ status: "setup", detail: "the GitHub App is not registered yet: open /probot to register it" }));
  return true;
}

async function loadSetupAppFactory(): Promise<SetupAppFactory> {
  const entry = import.meta.resolve("probot");
  const module = (await import(new URL("./apps/setup.js", entry).href)) as { setupAppFactory?: SetupAppFactory };
  if (typeof module.setupAppFactory !== "function") throw new Error("this Probot version has no setup flow where pr-sentinel expects it (lib/apps/setup.js)");
  return module.setupAppFactory;
}

export interface StartedSetupServer {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startSetupServer(env: NodeJS.ProcessEnv, log: Logger): Promise<StartedSetupServer> {
  const setupAppFactory = await loadSetupAppFactory();
  const server = new Server({
    host: env.HOST ?? "localhost",
    port: env.PORT !== undefined ? Number(env.PORT) : 3000,
    webhookPath: env.WEBHOOK_PATH ?? "/api/github/webhooks",
    log,
    // The Probot instance is not used during setup; Probot's own setup path passes the same
    // stand-in credentials (probot#1512).
    Probot: Probot.defaults({ appId: 1, privateKey: "stand-in for setup, see probot#1512", log }),
  });
  server.addHandler(setupHealthHandler);
  await server.loadHandlerFactory(setupAppFactory({ host: server.host, port: server.port, log: log.child({ name: "setup" }) }) as never);
  await server.start();
  return { port: server.port, stop: () => server.stop() };
}

async function main(): Promise<void> {
  const env = process.env;
  if (env.NODE_ENV === "production") {
    process.stderr.write("pr-sentinel setup: the registration flow is off when NODE_ENV is production; register the App by hand (docs/deployment.md) or run setup outside production\n");
    process.exit(1);
  }
  if (env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) {
    process.stdout.write(`pr-sentinel setup: the App is registered already (APP_ID ${env.APP_ID}); start it with npm start\n`);
    return;
  }
  const log = pino({ level: env.LOG_LEVEL ?? "info", base: { name: "pr-sentinel-setup" } });
  const running = await startSetupServer(env, log);
  const stop = () => void running.stop().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`pr-sentinel setup failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
