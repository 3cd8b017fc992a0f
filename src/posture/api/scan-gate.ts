/**
 * Bounded scanning: at most `concurrency` scans run at once and at most `queue` more wait. A
 * request takes its place before its body is read, so waiting requests (and the bodies they hold,
 * each at most the body limit) are bounded too; past that it is refused at once (503), which a
 * client retries after `Retry-After`, instead of piling up in memory.
 */
export interface GateLimits {
  readonly concurrency: number;
  readonly queue: number;
}

export interface GatePlace {
  /** Waits for a free slot, runs the job, frees the slot; the place is used up either way. */
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Gives the place back unused (the request failed before it reached the scan). */
  release(): void;
}

export interface ScanGateStats {
  readonly running: number;
  readonly waiting: number;
}

export class ScanGate {
  private running = 0;
  /** Places handed out that have not started a scan: reading a body, or waiting for a slot. */
  private held = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly limits: GateLimits) {
    for (const [key, value] of Object.entries(limits)) {
      if (!Number.isInteger(value) || value < (key === "queue" ? 0 : 1)) throw new RangeError(`scan gate ${key} must be a whole number, got ${value}`);
    }
  }

  stats(): ScanGateStats {
    return { running: this.running, waiting: this.held };
  }

  /** A place, or `undefined` when every slot and queue place is taken. */
  enter(): GatePlace | undefined {
    if (this.running + this.held >= this.limits.concurrency + this.limits.queue) return undefined;
    this.held++;
    let used = false;
    const useUp = () => {
      if (used) return false;
      used = true;
      return true;
    };
    return {
      release: () => {
        if (useUp()) this.held--;
      },
      run: async <T>(job: () => Promise<T>): Promise<T> => {
        if (!useUp()) throw new Error("a scan gate place was used twice");
        // A finishing scan hands its slot straight to the next waiter (`running` unchanged), so a
        // newcomer arriving in between cannot push the count over the limit.
        if (this.running < this.limits.concurrency) this.running++;
        else await new Promise<void>((resolve) => this.waiters.push(resolve));
        this.held--;
        try {
          return await job();
        } finally {
          const next = this.waiters.shift();
          if (next) next();
          else this.running--;
        }
      },
    };
  }
}
