/**
 * A token's rate, written `60/min` (also `/s`, `/h`, `/day`): at most that many scans per window,
 * with bursts up to the whole count (a token bucket that refills evenly over the window).
 */
export interface Rate {
  readonly limit: number;
  readonly windowSeconds: number;
}

export const DEFAULT_RATE: Rate = { limit: 60, windowSeconds: 60 };
const WINDOWS: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600, d: 86_400, day: 86_400 };
const MAX_LIMIT = 1_000_000;

export class RateError extends Error {}

export function parseRate(text: string): Rate {
  const match = /^([0-9]{1,7})\/([a-z]{1,6})$/.exec(text.trim());
  const windowSeconds = match ? WINDOWS[match[2]!] : undefined;
  const limit = match ? Number(match[1]) : 0;
  if (!match || windowSeconds === undefined || limit < 1 || limit > MAX_LIMIT) {
    throw new RateError(`expected a rate like 60/min (1 to ${MAX_LIMIT} per s, min, h or day), got ${JSON.stringify(text.slice(0, 40))}`);
  }
  return { limit, windowSeconds };
}

export function formatRate(rate: Rate): string {
  const unit = rate.windowSeconds === 1 ? "s" : rate.windowSeconds === 60 ? "min" : rate.windowSeconds === 3600 ? "h" : rate.windowSeconds === 86_400 ? "day" : `${rate.windowSeconds}s`;
  return `${rate.limit}/${unit}`;
}
