// Shared figures for every benchmark: percentiles of a sample and the closing JSON line.

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarise(samples: Float64Array | number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  let total = 0;
  for (const value of sorted) total += value;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN, mean: total / sorted.length };
}

export function printTable(rows: readonly (readonly (string | number)[])[]): void {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toFixed(1) : cell)));
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of cells) console.log(row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
}

/** Every benchmark ends with one JSON line of its figures, names carrying their units. */
export function printFigures(figures: Record<string, string | number>): void {
  console.log(JSON.stringify(figures));
}
