/**
 * `ScanState` on Redis, shared by every webhook replica and worker. Each operation is one atomic
 * command or script, so two replicas racing on the same pull request see one order of events:
 * `SET NX` for deliveries and locks, a compare-and-set script for heads (the newer order wins, not
 * the later arrival). Keys expire, so Redis does not grow with history.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { redisAnswers } from "./redis-answers.js";
import { DELIVERY_TTL_MS, LockTimeoutError, RECORD_TTL_MS, type HeadRecord, type RunRecord, type ScanState } from "./scan-state.js";

const PREFIX = "pr-sentinel:";

// KEYS[1] head key; ARGV: order, headSha, ttl ms. Stored as "<order> <sha>".
const OBSERVE_HEAD = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, ' ', 1, true)
  -- A record that does not read as "<order> <sha>" is replaced, never compared.
  local order = sep and tonumber(string.sub(cur, 1, sep - 1))
  if order and order > tonumber(ARGV[1]) then return cur end
end
local value = ARGV[1] .. ' ' .. ARGV[2]
redis.call('SET', KEYS[1], value, 'PX', ARGV[3])
return value`;

// KEYS[1] lock key; ARGV[1] the holder's token: only the holder releases.
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class RedisScanState implements ScanState {
  constructor(private readonly redis: Redis) {}

  async claimDelivery(deliveryId: string): Promise<boolean> {
    const set = await this.redis.set(`${PREFIX}delivery:${deliveryId}`, "1", "PX", DELIVERY_TTL_MS, "NX");
    return set === "OK";
  }

  async releaseDelivery(deliveryId: string): Promise<void> {
    await this.redis.del(`${PREFIX}delivery:${deliveryId}`);
  }

  async observeHead(subject: string, head: HeadRecord): Promise<HeadRecord> {
    const value = (await this.redis.eval(OBSERVE_HEAD, 1, `${PREFIX}head:${subject}`, String(head.order), head.headSha, String(RECORD_TTL_MS))) as string;
    return parseHead(value) ?? head;
  }

  async currentHead(subject: string): Promise<HeadRecord | undefined> {
    return parseHead(await this.redis.get(`${PREFIX}head:${subject}`));
  }

  async getRun(headKey: string): Promise<RunRecord | undefined> {
    const raw = await this.redis.get(`${PREFIX}run:${headKey}`);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as RunRecord;
      return typeof parsed.checkRunId === "number" && (parsed.status === "in_progress" || parsed.status === "completed") ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  async putRun(headKey: string, run: RunRecord): Promise<void> {
    await this.redis.set(`${PREFIX}run:${headKey}`, JSON.stringify(run), "PX", RECORD_TTL_MS);
  }

  async withLock<T>(key: string, options: { holdMs: number; waitMs: number }, fn: () => Promise<T>): Promise<T> {
    const lockKey = `${PREFIX}lock:${key}`;
    const token = randomUUID();
    const deadline = Date.now() + options.waitMs;
    while ((await this.redis.set(lockKey, token, "PX", options.holdMs, "NX")) !== "OK") {
      if (Date.now() >= deadline) throw new LockTimeoutError(key, options.waitMs);
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 50));
    }
    try {
      return await fn();
    } finally {
      await this.redis.eval(RELEASE_LOCK, 1, lockKey, token).catch(() => undefined);
    }
  }

  async ping(): Promise<boolean> {
    return redisAnswers(this.redis);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

function parseHead(value: string | null): HeadRecord | undefined {
  if (!value) return undefined;
  const [order, headSha] = value.split(" ");
  const n = Number(order);
  return headSha && Number.isFinite(n) ? { order: n, headSha } : undefined;
}
