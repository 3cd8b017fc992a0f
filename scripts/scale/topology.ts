/**
 * The multi-process layout of queue mode, on loopback, for the load and fault tests: a real
 * redis-server, the fake GitHub (in this process, so every request it answered can be counted),
 * webhook replicas (`node dist/app/server.js`, WORKER_CONCURRENCY=0) and queue workers
 * (`node dist/app/worker.js`, sandboxed child processes). Each process gets its own process group,
 * so killing a worker kills its children too, as a container's end would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { createWriteStream, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { setPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { FakeGitHub } from "../../test/helpers/fake-github/server.js";
import { startRedisServer, type RedisServer } from "../../test/helpers/redis-server.js";
import { freePort } from "../../test/helpers/free-port.js";

export const APP_ID = 515_151;
export const WEBHOOK_SECRET = "scale-test-webhook-secret";

export interface TopologyOptions {
  readonly webReplicas: number;
  readonly workers: number;
  readonly workerConcurrency: number;
  /** Fake GitHub latency per request. */
  readonly latencyMs?: number;
  readonly queueLockSeconds?: number;
  readonly shutdownGraceSeconds?: number;
  /**
   * CPU priority of the workers (nice value). On one 2-core machine the workers' scans compete with
   * the webhook replicas for CPU; in a deployment they run on other nodes (or with lower CPU
   * shares), which a positive nice value stands in for. 0: all equal.
   */
  readonly workerNice?: number;
  /** The audit trail in PostgreSQL at this URL (every process the same); default SQLite under the log dir. */
  readonly databaseUrl?: string;
}

export interface Managed {
  readonly role: string;
  child: ChildProcess;
  readonly port: number;
  /** Peak RSS of the process alone and of its whole tree (sandboxed children included), in bytes. */
  peakSelf: number;
  peakTree: number;
  startRss?: number;
}

export interface Topology {
  readonly fake: FakeGitHub;
  readonly redis: RedisServer;
  readonly web: Managed[];
  readonly workers: Managed[];
  readonly logDir: string;
  /** DATA_DIR of every process: the SQLite audit trail (audit.sqlite) is here unless `databaseUrl` is set. */
  readonly auditDir: string;
  readonly databaseUrl: string | undefined;
  webhookUrl(i: number): string;
  /** SIGKILL a worker's whole process group (it and its sandboxed children), as a crashed container. */
  killWorker(i: number): Promise<void>;
  /** A new worker (a replacement after a kill). */
  addWorker(): Promise<Managed>;
  /** SIGTERM a webhook replica, wait for it to exit, start it again on the same port. */
  restartWeb(i: number): Promise<void>;
  /** Stops every process (SIGTERM, then SIGKILL after 30 s), Redis and the fake; a second call waits for the first. */
  stop(): Promise<void>;
}

/**
 * Where the built App is: `dist` (what `npm run loadtest` builds), or SCALE_DIST_DIR when the
 * processes must run another build (a helper's own, so as not to rebuild the shared dist/).
 */
const DIST_DIR = process.env.SCALE_DIST_DIR ?? "dist";

export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const fake = new FakeGitHub({ appId: APP_ID, publicKey: createPublicKey(publicKey), latencyMs: options.latencyMs });
  await fake.start();
  const redis = await startRedisServer();
  const logDir = mkdtempSync(join(tmpdir(), "pr-sentinel-scale-"));
  const auditDir = join(logDir, "audit");
  const common: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // Every process of the topology records into one SQLite audit trail of the run's own.
    DATA_DIR: auditDir,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    NODE_ENV: "production",
    APP_ID: String(APP_ID),
    PRIVATE_KEY: privateKey,
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
    REDIS_URL: redis.url,
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    OSV_API_URL: "http://127.0.0.1:9",
    NPM_REGISTRY_URL: "http://127.0.0.1:9",
    QUEUE_LOCK_SECONDS: String(options.queueLockSeconds ?? 30),
    SHUTDOWN_GRACE_SECONDS: String(options.shutdownGraceSeconds ?? 25),
  };
  const web: Managed[] = [];
  const workers: Managed[] = [];
  let counter = 0;

  const launch = async (role: string, script: string, env: NodeJS.ProcessEnv, port?: number, nice = 0): Promise<Managed> => {
    const chosen = port ?? (await freePort());
    const log = createWriteStream(join(logDir, `${role}-${++counter}.log`));
    const child = spawn(process.execPath, [script], { env: { ...common, ...env, PORT: String(chosen) }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    // Set before the process forks its sandboxed children, which inherit it.
    if (nice !== 0) setPriority(child.pid!, nice);
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const managed: Managed = { role, child, port: chosen, peakSelf: 0, peakTree: 0 };
    await waitHealthy(chosen, child);
    managed.startRss = rssOf(child.pid!);
    return managed;
  };
  const startWeb = (i: number, port?: number) => launch(`web-${i + 1}`, join(DIST_DIR, "app/server.js"), { WEBHOOK_SECRET, WORKER_CONCURRENCY: "0" }, port);
  const startWorker = (i: number) =>
    launch(`worker-${i + 1}`, join(DIST_DIR, "app/worker.js"), { WORKER_CONCURRENCY: String(options.workerConcurrency) }, undefined, options.workerNice ?? 0);

  for (let i = 0; i < options.webReplicas; i++) web.push(await startWeb(i));
  for (let i = 0; i < options.workers; i++) workers.push(await startWorker(i));

  const sampler = setInterval(() => {
    const tree = processTree();
    for (const m of [...web, ...workers]) {
      if (m.child.exitCode !== null || !m.child.pid) continue;
      const self = rssOf(m.child.pid);
      const all = [m.child.pid, ...descendants(m.child.pid, tree)].reduce((sum, pid) => sum + rssOf(pid), 0);
      m.peakSelf = Math.max(m.peakSelf, self);
      m.peakTree = Math.max(m.peakTree, all);
    }
  }, 250);

  let stopping: Promise<void> | undefined;
  const stopAll = async () => {
    clearInterval(sampler);
    await Promise.all(
      [...web, ...workers].map(async (m) => {
        if (m.child.exitCode !== null || m.child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => m.child.once("exit", () => resolve()));
        m.child.kill("SIGTERM");
        const timer = setTimeout(() => {
          try {
            process.kill(-m.child.pid!, "SIGKILL");
          } catch {
            // gone
          }
        }, 30_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await redis.stop();
    await fake.stop();
  };

  return {
    fake,
    redis,
    web,
    workers,
    logDir,
    auditDir,
    databaseUrl: options.databaseUrl,
    webhookUrl: (i) => `http://127.0.0.1:${web[i % web.length]!.port}/api/github/webhooks`,
    async killWorker(i) {
      const m = workers[i]!;
      const exited = new Promise<void>((resolve) => m.child.once("exit", () => resolve()));
      process.kill(-m.child.pid!, "SIGKILL");
      await exited;
    },
    async addWorker() {
      const m = await startWorker(workers.length);
      workers.push(m);
      return m;
    },
    async restartWeb(i) {
      const m = web[i]!;
      const exited = new Promise<void>((resolve) => m.child.once("exit", () => resolve()));
      m.child.kill("SIGTERM");
      await exited;
      const again = await startWeb(i, m.port);
      m.child = again.child;
    },
    stop: () => (stopping ??= stopAll()),
  };
}

async function waitHealthy(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process on port ${port} exited with ${child.exitCode} before it was healthy`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`process on port ${port} did not become healthy in 30 s`);
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb * 1024;
  } catch {
    return 0;
  }
}

/** pid -> parent pid for every process on the machine. */
function processTree(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command may contain spaces and parentheses: fields start after the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // exited meanwhile
    }
  }
  return parents;
}

function descendants(pid: number, parents: Map<number, number>): number[] {
  const out: number[] = [];
  for (const [child, parent] of parents) if (parent === pid) out.push(child, ...descendants(child, parents));
  return out;
}
