// Binary searches over a sorted Float64Array of icounts: the first index at or after a value
// (lowerBound) and the first index after it (upperBound). Every lane column is sorted, so counting
// the events of a range is two searches, whatever the range holds.

export function lowerBound(sorted: Float64Array, value: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function upperBound(sorted: Float64Array, value: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
