/**
 * A real PostgreSQL for the audit tests (Debian's `postgresql` package on CI). Each call creates a
 * private cluster in a temporary folder (initdb), on a free loopback port with its unix socket in
 * that folder, fsync off (a test's data need not survive a power cut), and stops and removes it on
 * `stop()`. `createDatabase()` hands out a fresh, empty database per test.
 *
 * The binaries are found in PR_SENTINEL_PG_BINDIR, else `pg_config --bindir`, else the newest
 * /usr/lib/postgresql/<version>/bin. PostgreSQL refuses to run as root, so under root (CI
 * containers) the cluster runs as the `postgres` user the package creates (else `nobody`).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { freePort } from "./free-port.js";

export interface PostgresServer {
  /** Of the `postgres` database; use `createDatabase()` for a test's own. */
  readonly url: string;
  readonly port: number;
  createDatabase(name?: string): Promise<string>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const USER = "sentinel";

/** Where initdb and postgres are, or undefined. */
export function postgresBinDir(): string | undefined {
  const has = (dir: string) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres"));
  const fromEnv = process.env.PR_SENTINEL_PG_BINDIR;
  if (fromEnv) return has(fromEnv) ? fromEnv : undefined;
  const pgConfig = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  const configured = pgConfig.status === 0 ? pgConfig.stdout.trim() : "";
  if (configured && has(configured)) return configured;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, "bin")).find(has);
}

/**
 * Whether the PostgreSQL half of a suite runs. Without binaries it fails (CI must run it) unless
 * PR_SENTINEL_SKIP_POSTGRES=1 says to skip it on purpose.
 */
export function postgresMode(): "run" | "skip" {
  return process.env.PR_SENTINEL_SKIP_POSTGRES === "1" ? "skip" : "run";
}

export const POSTGRES_MISSING =
  "PostgreSQL server binaries not found (looked at PR_SENTINEL_PG_BINDIR, `pg_config --bindir`, /usr/lib/postgresql/*/bin): " +
  "install Debian's `postgresql` package, or set PR_SENTINEL_SKIP_POSTGRES=1 to skip the PostgreSQL half on purpose";

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(POSTGRES_MISSING);
  const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-pg-"));
  const data = join(dir, "data");
  const owner = runAs();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const ids = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const init = spawnSync(join(bin, "initdb"), ["-D", data, "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], { encoding: "utf8", ...ids });
  if (init.status !== 0) rmSync(dir, { recursive: true, force: true });
  if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${(init.stderr || init.stdout || String(init.error)).slice(-800)}`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      join(bin, "postgres"),
      ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=50"],
      { stdio: ["ignore", "pipe", "pipe"], ...ids },
    );
    await new Promise<void>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`postgres did not start: ${out.slice(-800)}`)), 30_000);
      const onData = (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.includes("database system is ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child!.stdout!.on("data", onData);
      child!.stderr!.on("data", onData);
      child!.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`postgres exited with ${code}: ${out.slice(-800)}`));
      });
    });
  };
  const stopChild = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    // SIGINT: "fast" shutdown, open sessions are ended.
    running.kill("SIGINT");
    await exited;
  };
  // A test process that ends without stop() (killed by a timeout) must not leave a server behind.
  const onExit = () => {
    if (child && child.exitCode === null) child.kill("SIGQUIT");
  };
  process.once("exit", onExit);
  try {
    await start();
  } catch (error) {
    onExit();
    process.removeListener("exit", onExit);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `postgres://${USER}@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    port,
    async createDatabase(name = `audit_${process.pid}_${++databases}`) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `postgres://${USER}@127.0.0.1:${port}/${name}`;
    },
    async restart() {
      await stopChild();
      await start();
    },
    async stop() {
      await stopChild();
      process.removeListener("exit", onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Under root, the unprivileged user to run the cluster as. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
    if (uid.status === 0 && gid.status === 0) return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error("running as root and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as");
}

export interface TestDatabase {
  readonly name: "SQLite" | "PostgreSQL";
  /** A fresh PostgreSQL database's URL, or undefined for SQLite (the store's file under its data dir). */
  readonly url: () => Promise<string | undefined>;
  readonly skip?: boolean;
}

/**
 * Both databases for `describe.each`: registers this file's hooks that start one private PostgreSQL
 * cluster (each test then asks it for a fresh database) and stop it after the file.
 */
export function bothDatabases(): readonly TestDatabase[] {
  let postgres: PostgresServer | undefined;
  beforeAll(async () => {
    if (postgresMode() === "run") postgres = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    await postgres?.stop();
  });
  return [
    { name: "SQLite", url: async () => undefined },
    { name: "PostgreSQL", url: async () => (postgres ? postgres.createDatabase() : undefined), skip: postgresMode() === "skip" },
  ];
}
