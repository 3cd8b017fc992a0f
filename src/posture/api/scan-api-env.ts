/**
 * The scan API's operator settings (spread `scanApiEnvShape` into the app's env schema). The
 * defaults suit one replica: as many scans at once as the machine has cores (a scan is CPU-bound),
 * twice that many waiting, 2 MB bodies. `SCAN_API_SERVICES` lets API scans use the network
 * services (OSV lookups, npm registry); off by default, so a caller cannot make the server send
 * thousands of lookups per request, and the dependencies check says which lookups it skipped.
 */
import { availableParallelism } from "node:os";
import { z } from "zod";
import { booleanFlag } from "../../services/services-env.js";

export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

const blankIsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const count = (min: number, max: number) => z.preprocess(blankIsUnset, z.coerce.number().int().min(min).max(max).optional());

export const scanApiEnvShape = {
  /** Largest request body, in bytes (default 2 MB). */
  SCAN_API_MAX_BODY_BYTES: z.preprocess(blankIsUnset, z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(DEFAULT_MAX_BODY_BYTES)),
  /** Scans running at once (default: the number of cores). */
  SCAN_API_CONCURRENCY: count(1, 1024),
  /** Requests waiting for a scan slot, beyond which the API answers 503 (default: 2 × concurrency). */
  SCAN_API_QUEUE: count(0, 100_000),
  /** Let API scans use OSV and the npm registry (default false: offline). */
  SCAN_API_SERVICES: booleanFlag,
};

export const scanApiEnvSchema = z.object(scanApiEnvShape);
export type ScanApiEnv = z.infer<typeof scanApiEnvSchema>;

export interface ScanApiLimits {
  readonly maxBodyBytes: number;
  readonly concurrency: number;
  readonly queue: number;
  /** How long a body may take to arrive. */
  readonly bodyTimeoutMs: number;
}

export function scanApiLimits(env: Partial<Pick<ScanApiEnv, "SCAN_API_MAX_BODY_BYTES" | "SCAN_API_CONCURRENCY" | "SCAN_API_QUEUE">> = {}): ScanApiLimits {
  const concurrency = env.SCAN_API_CONCURRENCY ?? availableParallelism();
  return {
    maxBodyBytes: env.SCAN_API_MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES,
    concurrency,
    queue: env.SCAN_API_QUEUE ?? 2 * concurrency,
    bodyTimeoutMs: 30_000,
  };
}
