/**
 * The scan API as a client meets it: the handler on a real node:http server on 127.0.0.1, over
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
import { createScanApiHandler, type ScanApiHandler, type ScanApiOptions } from "../../../src/posture/api/scan-api-handler.js";
import { openApiTokenStore } from "../../../src/posture/api/token-store.js";
import { expectDocumented } from "./openapi-validator.js";

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
  /** Log lines the server wrote. */
  readonly logs: string[];
  issueToken(name: string, extra?: readonly string[]): Promise<string>;
  tokens(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  post(body: string | Buffer | object, options?: PostOptions): Promise<ApiResponse>;
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
  const store = await openAuditStore({ ...(setup.databaseUrl ? { databaseUrl: setup.databaseUrl } : { dataDir: env.DATA_DIR! }), logger: silent });
  const logs: string[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
  const handler = createScanApiHandler({
    tokens: await openApiTokenStore(store),
    checks: setup.checks ?? builtinChecks,
    logger,
    ...(setup.limits ? { limits: setup.limits } : {}),
    ...(setup.now ? { now: setup.now } : {}),
  });
  const server: Server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
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
    logs,
    tokens,
    async issueToken(name, extra = []) {
      const created = await tokens(["create", "--name", name, ...extra]);
      if (created.code !== 0) throw new Error(`tokens create failed: ${created.stderr}`);
      return created.stdout.trim();
    },
    post,
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
    "content-type": "application/json",
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.chunked ? {} : { "content-length": String(payload.length) }),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(`${url}${options.path ?? "/api/v1/scan"}`, { method: options.method ?? "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        try {
          if ((options.path ?? "/api/v1/scan") === "/api/v1/scan") expectDocumented(status, res.headers["content-type"], text, res.headers);
          resolve({ status, headers: res.headers, text, json: JSON.parse(text) as Record<string, unknown> });
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
