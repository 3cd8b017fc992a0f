/**
 * `ScanState` for one process (no REDIS_URL). Bounded: the oldest entries go first past
 * `maxEntries`, so a long-running process does not grow with every pull request it ever saw.
 */
import { DELIVERY_TTL_MS, LockTimeoutError, type HeadRecord, type RunRecord, type ScanState } from "./scan-state.js";

export class MemoryScanState implements ScanState {
  private readonly deliveries = new Map<string, number>();
  private readonly heads = new Map<string, HeadRecord>();
  private readonly runs = new Map<string, RunRecord>();
  private readonly locks = new Map<string, Promise<void>>();

  constructor(
    private readonly options: { deliveryTtlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  async claimDelivery(deliveryId: string): Promise<boolean> {
    const now = (this.options.now ?? Date.now)();
    const ttl = this.options.deliveryTtlMs ?? DELIVERY_TTL_MS;
    const at = this.deliveries.get(deliveryId);
    if (at !== undefined && now - at < ttl) return false;
    this.deliveries.delete(deliveryId);
    this.deliveries.set(deliveryId, now);
    // Maps iterate in insertion order: the first entries are the oldest.
    for (const [id, time] of this.deliveries) {
      if (this.deliveries.size <= this.max && now - time < ttl) break;
      this.deliveries.delete(id);
    }
    return true;
  }

  async releaseDelivery(deliveryId: string): Promise<void> {
    this.deliveries.delete(deliveryId);
  }

  async observeHead(subject: string, head: HeadRecord): Promise<HeadRecord> {
    const known = this.heads.get(subject);
    if (known && known.order > head.order) return known;
    this.remember(this.heads, subject, head);
    return head;
  }

  async currentHead(subject: string): Promise<HeadRecord | undefined> {
    return this.heads.get(subject);
  }

  async getRun(headKey: string): Promise<RunRecord | undefined> {
    return this.runs.get(headKey);
  }

  async putRun(headKey: string, run: RunRecord): Promise<void> {
    this.remember(this.runs, headKey, run);
  }

  async withLock<T>(key: string, options: { holdMs: number; waitMs: number }, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + options.waitMs;
    for (let held = this.locks.get(key); held; held = this.locks.get(key)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new LockTimeoutError(key, options.waitMs);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([held, new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
    let release!: () => void;
    this.locks.set(key, new Promise<void>((resolve) => (release = resolve)));
    try {
      return await fn();
    } finally {
      this.locks.delete(key);
      release();
    }
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}

  private get max(): number {
    return this.options.maxEntries ?? 50_000;
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > this.max) map.delete(map.keys().next().value!);
  }
}
