/**
 * Runs at most `limit` of the given async jobs at once; the rest wait in arrival order. A finishing
 * job hands its slot straight to the next waiter, so a newcomer arriving in between cannot push the
 * count over the limit.
 */
export function limitConcurrency(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (running < limit) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
