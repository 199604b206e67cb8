// Small numeric helpers shared by cases: medians and the formats the tables print.

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The median over repetitions of a / b, a and b measured in the same repetition (seconds apart):
 * this machine's speed drifts by 20-30 % over minutes, which moves a ratio of runs made together
 * less than a ratio of medians taken over all of them. Pairs missing a figure are left out; NaN
 * (printed as "-") when none is left.
 */
export function pairedRatio(pairs: readonly (readonly [number | undefined, number | undefined])[]): number {
  return median(pairs.flatMap(([a, b]) => (a === undefined || b === undefined || b <= 0 ? [] : [a / b])));
}

/** A value, or a dash where there is no figure. */
export function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

/** 507768550 → "507,768,550": instruction counts are read by people, not parsed. */
export function grouped(value: number | undefined): string {
  return value === undefined ? '-' : value.toLocaleString('en-US');
}

/** Million instructions per second. */
export function mips(instructions: number | undefined, wallMs: number | undefined): number | undefined {
  return instructions === undefined || wallMs === undefined || wallMs <= 0 ? undefined : instructions / wallMs / 1000;
}

/** Milliseconds to seconds, passing "no figure" through. */
export function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

/** A fraction as a signed percentage: 0.031 → "+3.1 %". */
export function percent(fraction: number | undefined): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return '-';
  return `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)} %`;
}

/** A ratio for the tables: 1.234 → "1.23x". */
export function times(ratio: number | undefined): string {
  return ratio === undefined || !Number.isFinite(ratio) ? '-' : `${ratio.toFixed(2)}x`;
}
