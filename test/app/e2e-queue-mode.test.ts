/**
 * The end-to-end suite in queue mode: BullMQ on a real redis-server, jobs worked inline by the
 * app's own worker (the suite's test checks cannot cross into a child process; sandboxed
 * processors are tested in queue-mode.test.ts).
 */
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { e2eSuite } from "./e2e-suite.js";

let redis: RedisServer | undefined;

e2eSuite({
  name: "redis",
  async harness() {
    redis = await startRedisServer();
    return { redisUrl: redis.url, processor: "inline" };
  },
  async stop() {
    await redis?.stop();
  },
});
