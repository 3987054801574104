/**
 * One compared configuration's executions reduced to what the table shows: per execution the
 * workflow's measured latency (longest path of the stage makespans, as `run` reports it) and
 * cost (sum of the stages'), then their mean, min, max and standard deviation; and whether two
 * rows differ beyond that spread.
 */
import type { Sample } from '../core/types.js';
import type { Dag } from '../core/dag.js';
import { longestPath } from '../optimizer/index.js';

export interface Spread {
  mean: number;
  min: number;
  max: number;
  /** Sample standard deviation (n − 1); 0 for one run. */
  sd: number;
  /** Runs. */
  n: number;
}

export interface Execution {
  latencyMs: number;
  costUSD: number;
}

export function spreadOf(xs: readonly number[]): Spread | null {
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, min: Math.min(...xs), max: Math.max(...xs), sd, n: xs.length };
}

/** Student's t at 97.5 % by degrees of freedom; between rows, linear in 1/df (exact to ~0.5 %). */
const T975: readonly [number, number][] = [
  [1, 12.706],
  [2, 4.303],
  [3, 3.182],
  [4, 2.776],
  [5, 2.571],
  [6, 2.447],
  [8, 2.306],
  [10, 2.228],
  [15, 2.131],
  [20, 2.086],
  [30, 2.042],
  [60, 2.0],
  [Infinity, 1.96],
];

export function tQuantile975(df: number): number {
  if (!(df > 1)) return T975[0]![1];
  for (let i = 1; i < T975.length; i++) {
    const [d1, t1] = T975[i]!;
    if (df > d1) continue;
    const [d0, t0] = T975[i - 1]!;
    const u = (1 / d0 - 1 / df) / (1 / d0 - 1 / d1);
    return t0 + u * (t1 - t0);
  }
  return 1.96;
}

/**
 * Whether a's mean is below (−1) or above (1) b's beyond what the runs' scatter explains, or not
 * (0): Welch's two-sided test at 95 %, the difference of the means against its standard error
 * from each row's sd. Unlike "the min–max ranges do not overlap", it grows surer with more runs
 * instead of less (every run can only widen a range), and one slow run does not undo five. With a
 * single run in a row there is no scatter to judge by, and the ranges decide.
 */
export function differs(a: Spread, b: Spread): -1 | 0 | 1 {
  const diff = a.mean - b.mean;
  if (a.n < 2 || b.n < 2) return a.max < b.min ? -1 : a.min > b.max ? 1 : 0;
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return diff < 0 ? -1 : diff > 0 ? 1 : 0;
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  if (Math.abs(diff) <= tQuantile975(df) * se) return 0;
  return diff < 0 ? -1 : 1;
}

/**
 * Groups samples by execution (`key`, e.g. the run id's execution and rep) and keeps the
 * executions whose every stage ran ok: a failed stage makes the execution a failure, not a
 * fast or cheap run.
 */
export function executionsOf(
  samples: readonly Sample[],
  dag: Dag,
  key: (s: Sample) => string,
): { ok: Execution[]; failed: number } {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) groups.set(key(s), [...(groups.get(key(s)) ?? []), s]);
  const ok: Execution[] = [];
  let failed = 0;
  for (const runs of groups.values()) {
    const byStage = new Map(runs.map((s) => [s.stage, s]));
    const complete = dag.order.every((n) => byStage.get(n)?.status === 'ok');
    if (!complete) {
      failed++;
      continue;
    }
    ok.push({
      latencyMs: longestPath(dag, (n) => byStage.get(n)!.makespanMs ?? 0).latencyMs,
      costUSD: runs.reduce((a, s) => a + (s.costUSD ?? 0), 0),
    });
  }
  return { ok, failed };
}
