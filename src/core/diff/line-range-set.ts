/**
 * A set of line numbers stored as sorted, disjoint [first, last] ranges.
 *
 * A diff's commentable lines are a few runs per hunk; a 100 MB change has millions of them, and a
 * `Set<number>` entry per line costs tens of MB where the ranges cost a few KB. Iteration is in
 * ascending order.
 */
export class LineRangeSet implements ReadonlySet<number> {
  static readonly EMPTY = new LineRangeSet([], 0);

  /** `bounds[2k]` and `bounds[2k + 1]` are the first and last line of the k-th range, ascending. */
  private constructor(
    private readonly bounds: readonly number[],
    readonly size: number,
  ) {}

  /** Sorted, disjoint, non-adjacent ranges from any pairs (overlapping or out of order). */
  static fromRanges(pairs: readonly number[]): LineRangeSet {
    if (pairs.length === 0) return LineRangeSet.EMPTY;
    const order: number[] = [];
    for (let i = 0; i < pairs.length; i += 2) order.push(i);
    order.sort((x, y) => pairs[x]! - pairs[y]!);
    const bounds: number[] = [];
    let size = 0;
    for (const i of order) {
      const first = pairs[i]!;
      const last = pairs[i + 1]!;
      const end = bounds.length - 1;
      if (end > 0 && first <= bounds[end]! + 1) {
        if (last > bounds[end]!) {
          size += last - bounds[end]!;
          bounds[end] = last;
        }
      } else {
        bounds.push(first, last);
        size += last - first + 1;
      }
    }
    return new LineRangeSet(bounds, size);
  }

  has(line: number): boolean {
    const bounds = this.bounds;
    let low = 0;
    let high = bounds.length / 2 - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (line < bounds[2 * mid]!) high = mid - 1;
      else if (line > bounds[2 * mid + 1]!) low = mid + 1;
      else return true;
    }
    return false;
  }

  *values(): SetIterator<number> {
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i += 2) {
      for (let line = bounds[i]!; line <= bounds[i + 1]!; line++) yield line;
    }
  }

  keys(): SetIterator<number> {
    return this.values();
  }

  *entries(): SetIterator<[number, number]> {
    for (const line of this.values()) yield [line, line];
  }

  [Symbol.iterator](): SetIterator<number> {
    return this.values();
  }

  forEach(callback: (value: number, key: number, set: ReadonlySet<number>) => void, thisArg?: unknown): void {
    for (const line of this.values()) callback.call(thisArg, line, line, this);
  }

  get [Symbol.toStringTag](): string {
    return "LineRangeSet";
  }
}

/** Collects lines one at a time (ascending runs extend the current range) into a `LineRangeSet`. */
export class LineRangeSetBuilder {
  private readonly pairs: number[] = [];

  add(line: number): void {
    const pairs = this.pairs;
    const end = pairs.length - 1;
    if (end > 0 && pairs[end] === line - 1) pairs[end] = line;
    else pairs.push(line, line);
  }

  build(): LineRangeSet {
    return LineRangeSet.fromRanges(this.pairs);
  }
}
