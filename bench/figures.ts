// Small numeric helpers shared by cases: medians and the formats the tables print.

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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
