/**
 * One scan per pull request at a time: a newer push aborts the scan of the older head SHA, whose
 * results would be stale by the time they were posted. Events can arrive out of order, so the scan
 * that started last wins, whatever its SHA.
 */
export class InFlightScans {
  private readonly running = new Map<string, { headSha: string; controller: AbortController }>();

  /** Registers a scan for `key` (a pull request), aborting whichever scan held it before. */
  begin(key: string, headSha: string): AbortController {
    const previous = this.running.get(key);
    previous?.controller.abort(new SupersededError(previous.headSha, headSha));
    const controller = new AbortController();
    this.running.set(key, { headSha, controller });
    return controller;
  }

  /** Forgets the scan, unless a newer one already replaced it. */
  end(key: string, controller: AbortController): void {
    if (this.running.get(key)?.controller === controller) this.running.delete(key);
  }

  get size(): number {
    return this.running.size;
  }
}

export class SupersededError extends Error {
  constructor(
    readonly oldSha: string,
    readonly newSha: string,
  ) {
    super(`superseded: a newer scan started for ${newSha.slice(0, 7)}`);
    this.name = "SupersededError";
  }
}

/**
 * Remembers webhook delivery ids for a while. GitHub redeliveries (manual or through the API) reuse
 * `X-GitHub-Delivery`, and a redelivery of a handled event must not post twice.
 */
export class RecentDeliveries {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True if `id` was seen within the TTL; records it otherwise. */
  checkAndRemember(id: string): boolean {
    const now = this.now();
    const at = this.seenAt.get(id);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.seenAt.delete(id);
    this.seenAt.set(id, now);
    // Maps iterate in insertion order, so the first entries are the oldest.
    for (const [key, time] of this.seenAt) {
      if (this.seenAt.size <= this.maxEntries && now - time < this.ttlMs) break;
      this.seenAt.delete(key);
    }
    return false;
  }
}
