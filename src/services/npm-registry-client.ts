/**
 * npm package metadata for the dependencies check's supply-chain signals (install scripts, release
 * age, publisher, deprecation, licence): one `GET <registry>/<name>` per package.
 *
 * - It must be the FULL packument: the abbreviated one (`application/vnd.npm.install-v1+json`) has no
 *   `time` map and no `_npmUser`, so `Accept` is plain `application/json`.
 * - Packuments of big packages are several MB (every version's package.json, the readme): the body
 *   cap is 64 MiB, and only the fields we read are validated and kept. Fields of old versions are
 *   often odd (a `scripts` string, a `license` object, no `_npmUser`): an odd field becomes "unknown"
 *   for that version instead of failing the whole package.
 * - The `time` map keeps entries for unpublished versions and may hold an `unpublished` object (a
 *   package unpublished whole has no `versions` at all): non-string entries are ignored, and such a
 *   package comes back with no versions, which the signals report as `version-not-in-registry`.
 * - Requests are bounded per client (default 16 at once) and packuments cached for a few minutes,
 *   bounded in count: one scan asks for the same package from several lockfiles, and an app process
 *   must still see a version published an hour ago (hence a time limit, not the process lifetime).
 *   Concurrent asks for one name share one request, which is cancelled only when every asker is.
 */
import { z } from "zod";
import { limitConcurrency } from "../core/limit-concurrency.js";
import { LookupError, type NpmPackageInfo, type NpmRegistry, type NpmVersionInfo } from "../checks/dependencies/services.js";
import { describeUrl, HttpJsonError, requestJson } from "./http-json.js";

export const DEFAULT_NPM_REGISTRY_URL = "https://registry.npmjs.org";
export const DEFAULT_NPM_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
// About what npm's own client uses; 270 packages at 8 at a time spent 1.2 s on latency alone.
export const DEFAULT_NPM_CONCURRENCY = 16;
const DEFAULT_CACHE_ENTRIES = 500;
const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
/** npm's own limit on a package name's length. */
const MAX_NAME_LENGTH = 214;
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"] as const;

export interface NpmRegistryClientOptions {
  /** `NPM_REGISTRY_URL`; a path prefix (Artifactory, Verdaccio under a path) is kept. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** Per attempt. Default 30 s (a several-MB packument over a slow link). */
  readonly timeoutMs?: number;
  /** Requests in flight at once. Default 16. */
  readonly concurrency?: number;
  /** Body cap. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Packuments kept. Default 500. */
  readonly cacheEntries?: number;
  /** How long a packument (or a 404) is reused. Default 5 minutes; 0 disables the cache. */
  readonly cacheTtlMs?: number;
}

/** Anything that is not the expected shape is `undefined`, for this field of this version only. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const versionSchema = z.object({
  version: lenient(z.string()),
  scripts: lenient(z.record(z.string(), z.unknown())),
  deprecated: lenient(z.string()),
  _npmUser: lenient(z.object({ name: lenient(z.string()) })),
  license: z.unknown().optional(),
  /** The legacy plural form, read only when `license` is absent. */
  licenses: z.unknown().optional(),
});

const packumentSchema = z.object({
  name: z.string(),
  versions: lenient(z.record(z.string(), z.unknown())),
  time: lenient(z.record(z.string(), z.unknown())),
});

type CacheEntry = { readonly kind: "answer"; readonly expires: number; readonly value: NpmPackageInfo | null } | { readonly kind: "pending"; readonly pending: InFlight };

interface InFlight {
  /** Settles once; each asker waits on it through `awaitShared`. */
  readonly promise: Promise<NpmPackageInfo | null>;
  readonly controller: AbortController;
  askers: number;
}

export function createNpmRegistryClient(options: NpmRegistryClientOptions): NpmRegistry {
  const base = options.baseUrl.replace(/\/+$/, "");
  const host = hostOf(base);
  const limit = limitConcurrency(options.concurrency ?? DEFAULT_NPM_CONCURRENCY);
  const maxBytes = options.maxBytes ?? DEFAULT_NPM_MAX_BYTES;
  const cacheEntries = options.cacheEntries ?? DEFAULT_CACHE_ENTRIES;
  const ttl = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  // Insertion order is recency order: a hit is re-inserted, the oldest key is evicted first.
  const cache = new Map<string, CacheEntry>();

  const remember = (name: string, entry: CacheEntry) => {
    cache.delete(name);
    cache.set(name, entry);
    while (cache.size > cacheEntries) {
      const oldest = cache.keys().next().value as string;
      cache.delete(oldest);
    }
  };

  const fetchPackument = async (name: string, signal: AbortSignal): Promise<NpmPackageInfo | null> => {
    const fail = (reason: string) => new LookupError(`npm registry ${host}: cannot look up "${name}": ${reason}`);
    const url = `${base}/${encodePackageName(name)}`;
    let result;
    try {
      result = await limit(() =>
        requestJson({
          url,
          schema: packumentSchema,
          fetch: options.fetch,
          signal,
          timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          maxBytes,
          acceptStatus: [404],
        }),
      );
    } catch (error) {
      throw fail(reasonOf(error, url, maxBytes));
    }
    if (result.status === 404) return null;
    if (result.status !== 200 || !result.data) throw fail(`HTTP ${result.status}`);
    if (result.data.name !== name) throw fail(`the answer is the packument of "${result.data.name.slice(0, 100)}"`);
    return toPackageInfo(result.data);
  };

  const isCurrent = (name: string, inFlight: InFlight) => {
    const entry = cache.get(name);
    return entry?.kind === "pending" && entry.pending === inFlight;
  };

  const start = (name: string): InFlight => {
    const controller = new AbortController();
    const inFlight: InFlight = { controller, askers: 0, promise: fetchPackument(name, controller.signal) };
    inFlight.promise.then(
      (value) => {
        if (ttl > 0) remember(name, { kind: "answer", expires: Date.now() + ttl, value });
        else if (isCurrent(name, inFlight)) cache.delete(name);
      },
      () => {
        // Failures are not cached: the next ask tries again. (The askers see the error themselves.)
        if (isCurrent(name, inFlight)) cache.delete(name);
      },
    );
    return inFlight;
  };

  return {
    async packageInfo(name, signal) {
      if (!isPossibleName(name)) return null;
      if (signal.aborted) throw new LookupError(`npm registry ${host}: cannot look up "${name}": cancelled`);
      const cached = cache.get(name);
      if (cached?.kind === "answer" && cached.expires > Date.now()) {
        remember(name, cached);
        return cached.value;
      }
      let inFlight: InFlight;
      if (cached?.kind === "pending") inFlight = cached.pending;
      else {
        inFlight = start(name);
        remember(name, { kind: "pending", pending: inFlight });
      }
      return await awaitShared(inFlight, signal, () => new LookupError(`npm registry ${host}: cannot look up "${name}": cancelled`), () => {
        if (isCurrent(name, inFlight)) cache.delete(name);
      });
    },
  };
}

/** Waits for a shared request for one asker; the request is cancelled when its last asker gives up. */
function awaitShared(inFlight: InFlight, signal: AbortSignal, cancelled: () => Error, onAbandoned: () => void): Promise<NpmPackageInfo | null> {
  inFlight.askers++;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      if (--inFlight.askers === 0) {
        onAbandoned();
        inFlight.controller.abort();
      }
      reject(cancelled());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    inFlight.promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error as Error);
      },
    );
  });
}

/** `@scope/name` → `@scope%2Fname`, the way the npm CLI asks; anything else percent-encoded. */
export function encodePackageName(name: string): string {
  return encodeURIComponent(name).replace(/^%40/, "@");
}

/**
 * Names that cannot exist on the registry get `null` without a request: a lockfile is hostile
 * input, and `..` or an empty name would otherwise address another path of the registry.
 */
function isPossibleName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  if (name === "." || name === ".." || /[\s\u0000-\u001f]/.test(name)) return false;
  const slash = name.indexOf("/");
  if (slash === -1) return true;
  // Only `@scope/name`, with one slash and neither part empty or a dot segment.
  const scope = name.slice(1, slash);
  const rest = name.slice(slash + 1);
  return name.startsWith("@") && scope.length > 0 && rest.length > 0 && !rest.includes("/") && scope !== "." && scope !== ".." && rest !== "." && rest !== "..";
}

function toPackageInfo(doc: z.infer<typeof packumentSchema>): NpmPackageInfo {
  const times = doc.time ?? {};
  const versions: NpmVersionInfo[] = [];
  for (const [key, raw] of Object.entries(doc.versions ?? {})) {
    const parsed = versionSchema.safeParse(raw);
    const fields = parsed.success ? parsed.data : undefined;
    const version = fields?.version ?? key;
    const time = times[version] ?? times[key];
    const license = textOfLicense(fields?.license) ?? (fields?.license === undefined ? textOfLicense(fields?.licenses) : undefined);
    versions.push({
      version,
      ...(typeof time === "string" && !Number.isNaN(Date.parse(time)) ? { published: time } : {}),
      installScripts: installScriptsOf(fields?.scripts),
      ...(fields?.deprecated ? { deprecated: fields.deprecated } : {}),
      ...(fields?._npmUser?.name ? { publisher: fields._npmUser.name } : {}),
      ...(license ? { license } : {}),
    });
  }
  // Publish order; versions without a time keep their packument order, after the dated ones.
  const order = versions.map((v, index) => ({ v, index, at: v.published ? Date.parse(v.published) : Number.POSITIVE_INFINITY }));
  order.sort((a, b) => a.at - b.at || a.index - b.index);
  return { name: doc.name, versions: order.map((o) => o.v) };
}

function installScriptsOf(scripts: Record<string, unknown> | undefined): Record<string, string> {
  const kept: Record<string, string> = {};
  if (!scripts) return kept;
  for (const hook of INSTALL_SCRIPTS) {
    const script = scripts[hook];
    if (typeof script === "string" && script.trim() !== "") kept[hook] = script;
  }
  return kept;
}

/**
 * `"MIT"` as is; the legacy `{ "type": "MIT", "url": … }` as its type; a legacy array (one entry per
 * licence the user may choose, so they are alternatives) as `(MIT OR Apache-2.0)`.
 */
export function textOfLicense(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  if (Array.isArray(value)) {
    const parts = value.map((item) => textOfLicense(item)).filter((part): part is string => part !== undefined);
    if (parts.length === 0) return undefined;
    if (parts.length === 1) return parts[0];
    return `(${parts.join(" OR ")})`;
  }
  if (value !== null && typeof value === "object" && typeof (value as { type?: unknown }).type === "string") {
    return (value as { type: string }).type.trim() || undefined;
  }
  return undefined;
}

function reasonOf(error: unknown, url: string, maxBytes: number): string {
  const message = (error as Error).message ?? String(error);
  // http-json's messages start with the URL; ours already names the host and the package.
  const where = describeUrl(url);
  const reason = message.startsWith(`${where}: `) ? message.slice(where.length + 2) : message;
  if (error instanceof HttpJsonError && /is larger than/.test(reason)) {
    return `the packument is larger than the ${formatMiB(maxBytes)} cap`;
  }
  return reason.split("\n", 1)[0]!;
}

function formatMiB(bytes: number): string {
  const mib = bytes / 1024 / 1024;
  return mib >= 1 ? `${Math.round(mib)} MiB` : `${bytes} bytes`;
}

function hostOf(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    throw new LookupError(`npm registry: "${base.slice(0, 200)}" is not a URL (NPM_REGISTRY_URL)`);
  }
}
