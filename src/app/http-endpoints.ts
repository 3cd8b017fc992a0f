/**
 * `GET /healthz` and `GET /metrics`, added to the server through `addHandler`. In queue mode the
 * health answer says whether Redis answers (503 when not), and each scrape reads the queue's depth.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppMetrics } from "./metrics.js";
import type { ScanQueue } from "./queue/scan-queue.js";

export interface HealthSources {
  readonly ready: () => boolean;
  readonly queue?: ScanQueue;
  readonly worker?: () => { healthy(): Promise<boolean> } | undefined;
}

export function createHttpEndpoints(metrics: AppMetrics, sources: HealthSources) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = (req.url ?? "").split("?")[0];
    if (path === "/healthz") {
      const { status, body } = await health(sources);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
      return true;
    }
    if (path === "/metrics") {
      if (sources.queue) {
        const counts = await sources.queue.counts().catch(() => undefined);
        if (counts) for (const [state, n] of Object.entries(counts)) metrics.queueDepth.set({ state }, n);
      }
      const body = await metrics.registry.metrics();
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(body);
      return true;
    }
    return false;
  };
}

async function health(sources: HealthSources): Promise<{ status: number; body: Record<string, string> }> {
  if (!sources.ready()) return { status: 503, body: { status: "starting" } };
  if (!sources.queue || sources.queue.mode === "in-process") return { status: 200, body: { status: "ok", queue: "in-process" } };
  const worker = sources.worker?.();
  const up = (await sources.queue.healthy()) && (worker ? await worker.healthy() : true);
  return up ? { status: 200, body: { status: "ok", queue: "redis", redis: "up" } } : { status: 503, body: { status: "degraded", queue: "redis", redis: "down" } };
}
