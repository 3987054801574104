/** Summary statistics of the bench: quantiles that keep failures (Infinity) in the tail. */

/** Linear-interpolated quantile (type 7, as numpy's default); Infinity sorts last and propagates. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const v = [...values].sort((a, b) => a - b);
  const pos = (v.length - 1) * q;
  const i = Math.floor(pos);
  const f = pos - i;
  const lo = v[i]!;
  const hi = v[Math.min(i + 1, v.length - 1)]!;
  if (f === 0 || lo === hi) return lo;
  if (!Number.isFinite(hi)) return Infinity;
  return lo + f * (hi - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** 0.0423 → "4.2 %"; Infinity → "∞ (fail)". */
export function pct(x: number, digits = 1): string {
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return '∞';
  return `${(x * 100).toFixed(digits)} %`;
}

export function rate(count: number, total: number): string {
  return total === 0 ? 'n/a' : `${((count / total) * 100).toFixed(1)} % (${count}/${total})`;
}
