/** Human formats for times, money, sizes and objectives. */
import type { Objective } from '../core/types.js';

export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function formatUSD(usd: number | null | undefined): string {
  if (usd == null || !Number.isFinite(usd)) return '–';
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toPrecision(3)}`;
  return `$${usd.toFixed(usd < 10 ? 4 : 2)}`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 && i > 0 ? 2 : 0)} ${units[i]}`;
}

/** Both ends in the upper end's unit ("1.9 min – 2.4 min", not "119.2 s – 2.4 min"). */
export function formatInterval(iv: readonly [number, number] | null | undefined): string {
  if (!iv || !Number.isFinite(iv[0]) || !Number.isFinite(iv[1])) return '–';
  const [lo, hi] = iv;
  if (hi >= 120_000 && lo < 120_000) return `${(lo / 60_000).toFixed(1)} min – ${formatMs(hi)}`;
  if (hi >= 1000 && lo < 1000) return `${(lo / 1000).toFixed(2)} s – ${formatMs(hi)}`;
  return `${formatMs(lo)} – ${formatMs(hi)}`;
}

export function formatObjective(o: Objective): string {
  const on = o.percentile == null ? 'mean' : `p${o.percentile}`;
  switch (o.kind) {
    case 'cost':
      return 'cheapest';
    case 'latency':
      return `fastest (${on})`;
    case 'balanced':
      return `balanced, weight ${o.weight} on cost (${on})`;
    case 'deadline':
      return `cheapest within ${formatMs(o.deadlineMs)} (${on})`;
    case 'budget':
      return `fastest within ${formatUSD(o.budgetUSD)} per run`;
  }
}

export function formatVcpu(v: number): string {
  return v >= 10 ? v.toFixed(1) : v.toFixed(v < 1 ? 3 : 2);
}

/**
 * A probability in whole percent, never rounded to a certainty: "> 99 %", "< 1 %" (a model's
 * probability of 1 or 0 is a normal tail past double precision, not a certainty).
 */
export function formatProbability(p: number): string {
  if (p < 0.005) return '< 1 %';
  if (p >= 0.995) return '> 99 %';
  return `${Math.round(p * 100)} %`;
}

/** "1 stage", "3 stages". */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
