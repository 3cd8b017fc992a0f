/**
 * Each token's rate limit, as a token bucket in this process's memory. Per replica on purpose:
 * what the limit protects is this replica's CPU (a scan is CPU-bound), and a shared counter in the
 * database would cost a write on every request (a write lock on SQLite) to enforce a limit no
 * tighter than the scan queue already is. With N replicas behind a balancer a token gets up to N
 * times its rate; docs/api.md says so. Buckets of tokens unused for a day are dropped.
 */
import type { Rate } from "./rate.js";

interface Bucket {
  level: number;
  at: number;
}

export type Admission = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

const IDLE_MS = 86_400_000;

export class TokenBuckets {
  private readonly buckets = new Map<number, Bucket>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  take(tokenId: number, rate: Rate): Admission {
    const now = this.now();
    this.sweep(now);
    const perMs = rate.limit / (rate.windowSeconds * 1000);
    const bucket = this.buckets.get(tokenId) ?? { level: rate.limit, at: now };
    bucket.level = Math.min(rate.limit, bucket.level + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(tokenId, bucket);
    if (bucket.level >= 1) {
      bucket.level -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.level) / perMs / 1000)) };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < IDLE_MS) return;
    this.lastSweep = now;
    for (const [id, bucket] of this.buckets) if (now - bucket.at > IDLE_MS) this.buckets.delete(id);
  }
}
