/**
 * What every per-ecosystem version ordering provides, and the wrapper that makes them safe to call
 * on hostile input: OSV records and lockfiles carry version strings nobody validated.
 *
 * - `compare` never throws. Valid versions compare in the ecosystem's order; an invalid version
 *   sorts before every valid one, and two invalid versions compare by their UTF-16 code units. That
 *   keeps `compare` a total order (sorting never fails, never loops) without pretending an invalid
 *   version means anything: callers that must not guess check `isValid` first.
 * - Versions longer than 256 characters are invalid everywhere (npm's semver has the same cap); a
 *   version string is a few dozen characters in every real registry.
 * - Parsing is memoised per ordering in a bounded cache, because range evaluation compares the same
 *   few version strings many times.
 */

export interface VersionOrdering {
  /** Negative, zero or positive as `a` sorts before, equal to or after `b`. Never throws. */
  compare(a: string, b: string): number;
  /** Whether the ecosystem accepts `v` as a version (and `compare` orders it by the ecosystem's rules). */
  isValid(v: string): boolean;
}

export const MAX_VERSION_LENGTH = 256;

const CACHE_LIMIT = 20_000;

/**
 * Builds an ordering from a parser (returning `undefined` for an invalid version) and a comparison
 * of parsed values. Parser exceptions count as "invalid".
 */
export function defineOrdering<Parsed>(
  parse: (version: string) => Parsed | undefined,
  compareParsed: (a: Parsed, b: Parsed) => number,
): VersionOrdering {
  const cache = new Map<string, Parsed | undefined>();
  const parseCached = (version: string): Parsed | undefined => {
    if (typeof version !== "string" || version.length === 0 || version.length > MAX_VERSION_LENGTH) return undefined;
    if (cache.has(version)) return cache.get(version);
    let parsed: Parsed | undefined;
    try {
      parsed = parse(version);
    } catch {
      parsed = undefined;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(version, parsed);
    return parsed;
  };
  return {
    compare(a, b) {
      const left = parseCached(a);
      const right = parseCached(b);
      if (left !== undefined && right !== undefined) {
        try {
          return Math.sign(compareParsed(left, right));
        } catch {
          // A comparator bug must not take a check down; fall through to the total fallback order.
        }
      }
      if (left !== undefined) return 1;
      if (right !== undefined) return -1;
      return a < b ? -1 : a > b ? 1 : 0;
    },
    isValid(v) {
      return parseCached(v) !== undefined;
    },
  };
}

/** Compares two runs of ASCII digits numerically, whatever their length (leading zeros ignored). */
export function compareDigits(a: string, b: string): number {
  const left = a.replace(/^0+(?=\d)/, "");
  const right = b.replace(/^0+(?=\d)/, "");
  if (left.length !== right.length) return left.length < right.length ? -1 : 1;
  return left < right ? -1 : left > right ? 1 : 0;
}
