/**
 * Index of the last element of ascending `values` that is at most `target` (0 when none is), by
 * binary search: which line holds an offset, given the lines' start offsets.
 */
export function lastIndexAtMost(values: ArrayLike<number>, target: number, length = values.length): number {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (values[mid]! <= target) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
