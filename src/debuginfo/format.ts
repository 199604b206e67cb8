// Text conventions gdb uses when it prints values: characters and strings with C escapes and
// repeat runs, and floating point in %g with 9 (float) or 17 (double) significant digits.

/** The repeat run length above which gdb writes `'x' <repeats N times>`. */
export const REPEAT_THRESHOLD = 10;
/** gdb's `print elements` default: longer strings and arrays are cut with "...". */
export const PRINT_MAX = 200;

/** A byte as gdb writes it inside quotes (`quote` is the delimiter that needs escaping). */
export function escapeChar(c: number, quote: string): string {
  switch (c) {
    case 7: return '\\a';
    case 8: return '\\b';
    case 9: return '\\t';
    case 10: return '\\n';
    case 11: return '\\v';
    case 12: return '\\f';
    case 13: return '\\r';
    case 27: return '\\033';
    case 0x5c: return '\\\\';
    default:
      if (c < 0x20 || c >= 0x7f) return `\\${c.toString(8).padStart(3, '0')}`;
      const ch = String.fromCharCode(c);
      return ch === quote ? `\\${ch}` : ch;
  }
}

/** `65 'A'`: a char value with its character. */
export function formatChar(value: bigint, byte: number): string {
  return `${value} '${escapeChar(byte, "'")}'`;
}

/**
 * A run of characters as gdb prints a char array or the string behind a char pointer: quoted
 * segments, with runs of more than REPEAT_THRESHOLD equal characters written as repeats.
 * `truncated` adds the "..." gdb writes when the string went on past what was read.
 */
export function formatString(bytes: ArrayLike<number>, truncated = false): string {
  const parts: string[] = [];
  let segment = '';
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i];
    let run = 1;
    while (i + run < bytes.length && bytes[i + run] === c) run++;
    if (run > REPEAT_THRESHOLD) {
      if (segment !== '') { parts.push(`"${segment}"`); segment = ''; }
      parts.push(`'${escapeChar(c, "'")}' <repeats ${run} times>`);
      i += run;
      continue;
    }
    for (let k = 0; k < run; k++) segment += escapeChar(c, '"');
    i += run;
  }
  if (segment !== '' || parts.length === 0) parts.push(`"${segment}"`);
  return parts.join(', ') + (truncated ? '...' : '');
}

/** C's %g with the given precision (gdb prints float with 9 digits, double with 17). */
export function formatFloat(v: number, precision: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v < 0 ? '-inf' : 'inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // The exponent %g decides by is the one after rounding to `precision` digits.
  const [mant, ex] = v.toExponential(precision - 1).split('e');
  const e = Number(ex);
  if (e < -4 || e >= precision) return `${stripZeros(mant)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return stripZeros(v.toFixed(Math.max(0, precision - 1 - e)));
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}
