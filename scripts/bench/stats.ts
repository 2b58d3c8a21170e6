// Order statistics for small samples: the median and its spread, never a mean that one slow run can drag.

export interface Summary {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** Linear interpolation between closest ranks (the usual "type 7" quantile). */
export function quantile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[Math.min(lower + 1, sorted.length - 1)] ?? low;
  return low + (high - low) * (position - lower);
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no values');
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    count: sorted.length,
  };
}

/** "12.3 (IQR 11.9–12.8, min–max 11.5–14.0) unit" */
export function describe(summary: Summary, digits: number, unit: string): string {
  const f = (value: number): string => value.toFixed(digits);
  return `${f(summary.median)}${unit} (IQR ${f(summary.q1)}–${f(summary.q3)}, min–max ${f(summary.min)}–${f(summary.max)}, n=${summary.count})`;
}
