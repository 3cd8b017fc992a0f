/**
 * The API as a client meets it: both handlers (scan and audit, behind one guard as in the app's
 * server) on a real node:http server on 127.0.0.1, over
 * the audit store's database (SQLite in a temporary DATA_DIR, or a PostgreSQL database), with
 * tokens issued through `pr-sentinel tokens create`. Requests are plain node:http so a test can
 * send what fetch would not (chunked bodies, lying lengths, no content type), and every answer is
 * checked against the OpenAPI document before the test sees it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { builtinChecks } from "../../../src/checks/index.js";
import { runTokensCommand } from "../../../src/cli/tokens-command.js";
import type { Check } from "../../../src/core/types.js";
import { openAuditStore, type AuditStore } from "../../../src/posture/audit/open-store.js";
import { createApiGuard } from "../../../src/posture/api/api-guard.js";
import { AUDIT_PATH, createAuditApiHandler, type AuditApiHandler } from "../../../src/posture/api/audit-export-handler.js";
import { createScanApiHandler, SCAN_PATH, type ScanApiHandler, type ScanApiOptions } from "../../../src/posture/api/scan-api-handler.js";
import { openApiTokenStore } from "../../../src/posture/api/token-store.js";
import { AUDIT_OPERATION, expectDocumented, SCAN_OPERATION } from "./openapi-validator.js";

export interface ApiResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

export interface RunningApi {
  readonly url: string;
  readonly env: Record<string, string>;
  readonly store: AuditStore;
  readonly handler: ScanApiHandler;
  readonly auditHandler: AuditApiHandler;
  /** Log lines the server wrote. */
  readonly logs: string[];
  issueToken(name: string, extra?: readonly string[]): Promise<string>;
  tokens(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  post(body: string | Buffer | object, options?: PostOptions): Promise<ApiResponse>;
  /** A GET of `path` (with its query) with this token (none when `undefined`). */
  get(path: string, token: string | undefined, headers?: Record<string, string>): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface PostOptions {
  readonly token?: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly path?: string;
  /** Send without Content-Length (chunked), in pieces of this size. */
  readonly chunked?: number;
}

export interface ApiSetup {
  readonly databaseUrl?: string;
  readonly limits?: ScanApiOptions["limits"];
  readonly checks?: readonly Check[];
  readonly now?: () => number;
  /** The audit store's clock (records' created_at). */
  readonly storeNow?: () => Date;
  readonly exportConcurrency?: number;
}

class Collect extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.text += chunk.toString("utf8");
    done();
  }
}

let harnesses = 0;

export async function startApi(setup: ApiSetup = {}): Promise<RunningApi> {
  const dir = mkdtempSync(join(tmpdir(), "pr-sentinel-api-"));
  const env: Record<string, string> = setup.databaseUrl ? { DATABASE_URL: setup.databaseUrl } : { DATA_DIR: join(dir, "data") };
  const tokens = async (argv: readonly string[]) => {
    const stdout = new Collect();
    const stderr = new Collect();
    const code = await runTokensCommand(argv, { stdout, stderr, env });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  // The first token is issued before the app opens the store, as an operator would.
  const first = await tokens(["create", "--name", `harness ${++harnesses}`]);
  if (first.code !== 0) throw new Error(`tokens create failed: ${first.stderr}`);
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const store = await openAuditStore({ ...(setup.databaseUrl ? { databaseUrl: setup.databaseUrl } : { dataDir: env.DATA_DIR! }), logger: silent, ...(setup.storeNow ? { now: setup.storeNow } : {}) });
  const logs: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
  const tokenStore = await openApiTokenStore(store);
  const guard = createApiGuard({ tokens: tokenStore, ...(setup.now ? { now: setup.now } : {}) });
  const handler = createScanApiHandler({
    tokens: tokenStore,
    guard,
    checks: setup.checks ?? builtinChecks,
    logger,
    ...(setup.limits ? { limits: setup.limits } : {}),
  });
  const auditHandler = createAuditApiHandler({ store, guard, logger, ...(setup.exportConcurrency ? { concurrency: setup.exportConcurrency } : {}) });
  const server: Server = createServer((req, res) => {
    void (async () => (await handler(req, res)) || auditHandler(req, res))().then((handled) => {
      if (!handled) res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const firstToken = first.stdout.trim();

  const post = (body: string | Buffer | object, options: PostOptions = {}) =>
    send(url, body, { ...options, token: options.token === undefined ? firstToken : options.token });

  return {
    url,
    env,
    store,
    handler,
    auditHandler,
    logs,
    tokens,
    async issueToken(name, extra = []) {
      const created = await tokens(["create", "--name", name, ...extra]);
      if (created.code !== 0) throw new Error(`tokens create failed: ${created.stderr}`);
      return created.stdout.trim();
    },
    post,
    get: (path, token, headers) => send(url, "", { method: "GET", path, token, ...(headers ? { headers } : {}) }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One request; resolves with the answer even when the server closed the connection mid-upload. */
export function send(url: string, body: string | Buffer | object, options: PostOptions): Promise<ApiResponse> {
  const payload = typeof body === "string" || Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = {
    ...(options.method === "GET" ? {} : { "content-type": "application/json" }),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.chunked || options.method === "GET" ? {} : { "content-length": String(payload.length) }),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const path = options.path ?? SCAN_PATH;
    const route = path.split("?")[0];
    const operation = route === SCAN_PATH ? SCAN_OPERATION : route === AUDIT_PATH ? AUDIT_OPERATION : undefined;
    const req = request(`${url}${path}`, { method: options.method ?? "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        try {
          if (operation) expectDocumented(status, res.headers["content-type"], text, res.headers, operation);
          const isJson = /^application\/(?:[\w.+-]+\+)?json\b/.test(res.headers["content-type"] ?? "");
          resolve({ status, headers: res.headers, text, json: isJson ? (JSON.parse(text) as Record<string, unknown>) : {} });
        } catch (error) {
          reject(error as Error);
        }
      });
      res.on("error", reject);
    });
    // The server may answer and close before the whole body is sent (413, 401): not a test failure.
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    if (options.method === "GET" || options.method === "HEAD") return void req.end();
    if (!options.chunked) return void req.end(payload);
    let offset = 0;
    const pump = () => {
      while (offset < payload.length) {
        const piece = payload.subarray(offset, offset + options.chunked!);
        offset += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}
