/**
 * Each compared row judged on the objective the plan was made for, from measured numbers, so
 * "the plan wins" means the same thing as the plan's choice: cost → mean cost; latency → mean
 * time; balanced:W → W·cost/minCost + (1−W)·time/minTime with the minima over the measured rows
 * (the plan's own normalisation, applied to what was measured); deadline:D → cost, or a miss
 * when the mean time exceeds D; budget:B → time, or a miss when the mean cost exceeds B.
 * `min`/`max` bound the score from the runs' min–max, for "beyond the spread".
 */
import type { Objective } from '../core/types.js';
import type { Spread } from './spread.js';

export interface Score {
  /** Lower is better; null when the row missed a deadline or budget (or never completed). */
  mean: number | null;
  min: number | null;
  max: number | null;
  unit: 'USD' | 'ms' | 'score';
  missed: boolean;
}

interface Measured {
  latencyMs: Spread | null;
  costUSD: Spread | null;
}

export function scoreRows(objective: Objective, rows: readonly Measured[]): Score[] {
  const done = rows.filter((r) => r.latencyMs && r.costUSD);
  const minCost = Math.min(...done.map((r) => r.costUSD!.mean));
  const minLat = Math.min(...done.map((r) => r.latencyMs!.mean));
  return rows.map((r): Score => {
    const c = r.costUSD;
    const l = r.latencyMs;
    const none = (unit: Score['unit'], missed = false): Score => ({
      mean: null,
      min: null,
      max: null,
      unit,
      missed,
    });
    switch (objective.kind) {
      case 'cost':
        return c ? { mean: c.mean, min: c.min, max: c.max, unit: 'USD', missed: false } : none('USD');
      case 'latency':
        return l ? { mean: l.mean, min: l.min, max: l.max, unit: 'ms', missed: false } : none('ms');
      case 'balanced': {
        if (!c || !l) return none('score');
        const w = objective.weight;
        const f = (cost: number, lat: number): number => (w * cost) / minCost + ((1 - w) * lat) / minLat;
        return {
          mean: f(c.mean, l.mean),
          min: f(c.min, l.min),
          max: f(c.max, l.max),
          unit: 'score',
          missed: false,
        };
      }
      case 'deadline':
        if (!c || !l) return none('USD');
        return l.mean > objective.deadlineMs
          ? none('USD', true)
          : { mean: c.mean, min: c.min, max: c.max, unit: 'USD', missed: false };
      case 'budget':
        if (!c || !l) return none('ms');
        return c.mean > objective.budgetUSD
          ? none('ms', true)
          : { mean: l.mean, min: l.min, max: l.max, unit: 'ms', missed: false };
    }
  });
}

/** How the plan's score compares with another's: better/worse beyond the spread, or within it. */
export function verdict(plan: Score, other: Score): 'better' | 'worse' | 'within' | 'n/a' {
  if (plan.mean === null) return other.mean === null ? 'n/a' : 'worse';
  if (other.mean === null) return 'better';
  if (plan.max! < other.min!) return 'better';
  if (plan.min! > other.max!) return 'worse';
  return 'within';
}
