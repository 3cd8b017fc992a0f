/**
 * An npm registry that is not the npm registry: a real HTTP server on 127.0.0.1 serving packuments
 * from memory, in the real full-document shape (and the abbreviated "corgi" one, without `time` and
 * `_npmUser`, when asked with `Accept: application/vnd.npm.install-v1+json`, so a client that asks
 * for the wrong one gets data that cannot answer its questions, as it would in production).
 *
 * Failure modes imitate what breaks in real life: `down` (connections reset), `slow` (the answer
 * takes `slowMs`), `garbage` (200 with a body that is not JSON), `not-a-packument` (JSON of another
 * shape), `500-once` (the first request for each name fails, the retry works).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface PackumentVersion {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly scripts?: Record<string, unknown>;
  readonly _npmUser?: { readonly name: string; readonly email: string };
  readonly deprecated?: string;
  readonly license?: unknown;
  readonly dist: { readonly tarball: string; readonly shasum: string; readonly integrity: string };
  readonly _id: string;
  readonly [field: string]: unknown;
}

export interface Packument {
  readonly _id: string;
  readonly name: string;
  readonly "dist-tags": Record<string, string>;
  readonly versions: Record<string, PackumentVersion>;
  readonly time: Record<string, unknown>;
  readonly maintainers?: readonly { name: string; email: string }[];
  readonly readme?: string;
  readonly [field: string]: unknown;
}

export interface VersionSpec {
  readonly version: string;
  /** ISO date. */
  readonly published: string;
  readonly scripts?: Record<string, string>;
  /** `_npmUser.name`. */
  readonly publisher?: string;
  readonly deprecated?: string;
  /** Any shape the registry has seen: `"MIT"`, `{ type: "MIT" }`, `[{ type: "MIT" }, …]`. */
  readonly license?: unknown;
}

const FAKE_BASE = "http://registry.invalid";

/** A full packument as the registry sends it, from a few facts per version. */
export function packument(name: string, versions: readonly VersionSpec[]): Packument {
  const docs: Record<string, PackumentVersion> = {};
  const time: Record<string, string> = {};
  const published = versions.map((v) => v.published).sort();
  if (published.length > 0) {
    time.created = published[0]!;
    time.modified = published[published.length - 1]!;
  }
  const bare = name.includes("/") ? name.slice(name.indexOf("/") + 1) : name;
  for (const spec of versions) {
    const integrity = `sha512-${Buffer.from(`${name}@${spec.version}`).toString("base64")}`;
    docs[spec.version] = {
      name,
      version: spec.version,
      description: `${name} for tests`,
      main: "index.js",
      ...(spec.scripts ? { scripts: spec.scripts } : { scripts: { test: "node test.js" } }),
      ...(spec.publisher ? { _npmUser: { name: spec.publisher, email: `${spec.publisher}@example.com` } } : {}),
      ...(spec.deprecated ? { deprecated: spec.deprecated } : {}),
      ...(spec.license !== undefined ? { license: spec.license } : {}),
      _id: `${name}@${spec.version}`,
      _npmVersion: "10.8.2",
      _nodeVersion: "20.18.1",
      dist: { tarball: `${FAKE_BASE}/${name}/-/${bare}-${spec.version}.tgz`, shasum: "0".repeat(40), integrity },
    };
    time[spec.version] = spec.published;
  }
  const latest = [...versions].sort((a, b) => a.published.localeCompare(b.published)).at(-1)?.version;
  const publishers = [...new Set(versions.map((v) => v.publisher).filter((p): p is string => p !== undefined))];
  return {
    _id: name,
    _rev: "1-0123456789abcdef",
    name,
    "dist-tags": latest ? { latest } : {},
    versions: docs,
    time,
    maintainers: publishers.map((p) => ({ name: p, email: `${p}@example.com` })),
    readme: `# ${name}\n`,
    license: versions.at(-1)?.license,
  };
}

export type FakeNpmFailure = "down" | "slow" | "garbage" | "not-a-packument" | "500-once";

export interface FakeNpmRegistryOptions {
  readonly failure?: FakeNpmFailure;
  /** Delay of the `slow` mode, and of every answer when `latencyMs` is set. Default 2 s. */
  readonly slowMs?: number;
  /** Added to every answer, to overlap requests (concurrency tests). */
  readonly latencyMs?: number;
  /** Served under this path prefix (a registry behind `/npm/`), e.g. `/npm`. */
  readonly pathPrefix?: string;
}

export interface RecordedNpmRequest {
  /** Raw path, still URL-encoded, without the prefix. */
  readonly path: string;
  /** The package name it asked for, decoded. */
  readonly name: string;
  readonly accept: string;
}

export interface FakeNpmRegistry {
  /** Base URL to give a client (with the path prefix, no trailing slash). */
  readonly url: string;
  readonly requests: readonly RecordedNpmRequest[];
  /** How many requests asked for `name`. */
  requestCount(name: string): number;
  /** Most requests that were being answered at one moment. */
  readonly maxInFlight: number;
  setFailure(failure: FakeNpmFailure | undefined): void;
  set(doc: Packument): void;
  close(): Promise<void>;
}

export async function startFakeNpmRegistry(packuments: readonly Packument[], options: FakeNpmRegistryOptions = {}): Promise<FakeNpmRegistry> {
  const docs = new Map(packuments.map((doc) => [doc.name, doc]));
  const requests: RecordedNpmRequest[] = [];
  const failedOnce = new Set<string>();
  const prefix = options.pathPrefix ?? "";
  let failure = options.failure;
  let inFlight = 0;
  let maxInFlight = 0;

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const rawPath = (req.url ?? "/").split("?", 1)[0]!;
    if (!rawPath.startsWith(`${prefix}/`)) return send(res, 404, { error: "Not found" });
    const path = rawPath.slice(prefix.length);
    let name: string;
    try {
      name = decodeURIComponent(path.slice(1));
    } catch {
      return send(res, 400, { error: "bad path" });
    }
    const accept = String(req.headers.accept ?? "");
    requests.push({ path, name, accept });
    if (failure === "down") {
      req.socket.destroy();
      return;
    }
    if (failure === "slow") await delay(options.slowMs ?? 2000);
    if (options.latencyMs) await delay(options.latencyMs);
    if (failure === "500-once" && !failedOnce.has(name)) {
      failedOnce.add(name);
      return send(res, 500, { error: "Internal Server Error" });
    }
    if (failure === "garbage") return sendRaw(res, 200, "<html>502 Bad Gateway</html>");
    if (failure === "not-a-packument") return send(res, 200, { ok: true, rows: [] });
    const doc = docs.get(name);
    if (!doc) return send(res, 404, { error: "Not found" });
    return send(res, 200, accept.includes("application/vnd.npm.install-v1+json") ? abbreviated(doc) : doc);
  };

  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const done = () => {
      inFlight--;
    };
    res.once("close", done);
    answer(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: "fake registry broke" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    requestCount: (name) => requests.filter((r) => r.name === name).length,
    get maxInFlight() {
      return maxInFlight;
    },
    setFailure(next) {
      failure = next;
    },
    set(doc) {
      docs.set(doc.name, doc);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The corgi: no `time`, no `_npmUser`, no `scripts` (only `hasInstallScript`). */
function abbreviated(doc: Packument): unknown {
  const versions: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(doc.versions)) {
    const scripts = (v.scripts ?? {}) as Record<string, unknown>;
    const hasInstallScript = ["preinstall", "install", "postinstall"].some((hook) => hook in scripts);
    versions[key] = { name: v.name, version: v.version, dist: v.dist, ...(v.deprecated ? { deprecated: v.deprecated } : {}), ...(hasInstallScript ? { hasInstallScript } : {}) };
  }
  return { name: doc.name, modified: doc.time.modified, "dist-tags": doc["dist-tags"], versions };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body), "application/json");
}

function sendRaw(res: ServerResponse, status: number, body: string, type = "text/html"): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
