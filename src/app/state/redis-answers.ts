/** Whether a Redis connection answers a PING now (health checks); never throws. */
import type { Redis } from "ioredis";

export async function redisAnswers(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  }
}
