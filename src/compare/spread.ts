/**
 * One compared configuration's executions reduced to what the table shows: per execution the
 * workflow's measured latency (longest path of the stage makespans, as `run` reports it) and
 * cost (sum of the stages'), then their mean, min, max and standard deviation.
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
}

export interface Execution {
  latencyMs: number;
  costUSD: number;
}

export function spreadOf(xs: readonly number[]): Spread | null {
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, min: Math.min(...xs), max: Math.max(...xs), sd };
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
