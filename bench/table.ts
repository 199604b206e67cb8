// Prints case results as plain-text tables, one per table title, with problems and notes below.
import type { CaseResult } from './case.js';

export function formatResults(results: readonly CaseResult[]): string {
  const out: string[] = [];
  const titles = [...new Set(results.map((r) => r.table))];
  for (const title of titles) {
    const rows = results.filter((r) => r.table === title);
    out.push('', title, ...formatTable(rows));
  }
  const notes = [...new Set(results.flatMap((r) => r.notes))];
  const problems = results.flatMap((r) => r.problems);
  if (notes.length > 0) out.push('', ...notes.map((n) => `note: ${n}`));
  if (problems.length > 0) out.push('', ...problems.map((p) => `FAIL: ${p}`));
  return out.join('\n') + '\n';
}

function formatTable(rows: readonly CaseResult[]): string[] {
  // The header set is the union in first-seen order, so rows of one kind may omit a cell.
  const headers = [...new Set(rows.flatMap((r) => r.cells.map((c) => c.header)))];
  const align = new Map(rows.flatMap((r) => r.cells.map((c) => [c.header, c.align ?? 'right'] as const)));
  const grid = rows.map((r) => headers.map((h) => r.cells.find((c) => c.header === h)?.value ?? '-'));
  const widths = headers.map((h, i) => Math.max(h.length, ...grid.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (align.get(headers[i]) === 'left' ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...grid.map(line)];
}
