/**
 * Each compared row judged on the objective the plan was made for, from measured numbers, so
 * "the plan wins" means the same thing as the plan's choice: cost → mean cost; latency → mean
 * time; balanced:W → W·cost/minCost + (1−W)·time/minTime with the minima over the measured rows
 * (the plan's own normalisation, applied to what was measured); deadline:D → cost, or a miss
 * when the mean time exceeds D; budget:B → time, or a miss when the mean cost exceeds B.
 * Each execution is scored, so the score has a spread of its own (mean, min–max, sd) and two
 * rows are told apart as their times or costs are (spread.ts, `differs`).
 */
import type { Objective } from '../core/types.js';
import { differs, spreadOf, type Execution, type Spread } from './spread.js';

export interface Score {
  /** Lower is better; null when the row missed a deadline or budget (or never completed). */
  mean: number | null;
  min: number | null;
  max: number | null;
  sd: number | null;
  n: number;
  unit: 'USD' | 'ms' | 'score';
  missed: boolean;
}

interface Measured {
  executions: readonly Execution[];
  latencyMs: Spread | null;
  costUSD: Spread | null;
}

const fromSpread = (s: Spread, unit: Score['unit']): Score => ({
  mean: s.mean,
  min: s.min,
  max: s.max,
  sd: s.sd,
  n: s.n,
  unit,
  missed: false,
});

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
      sd: null,
      n: 0,
      unit,
      missed,
    });
    switch (objective.kind) {
      case 'cost':
        return c ? fromSpread(c, 'USD') : none('USD');
      case 'latency':
        return l ? fromSpread(l, 'ms') : none('ms');
      case 'balanced': {
        if (!c || !l) return none('score');
        const w = objective.weight;
        const f = (e: Execution): number => (w * e.costUSD) / minCost + ((1 - w) * e.latencyMs) / minLat;
        return fromSpread(spreadOf(r.executions.map(f))!, 'score');
      }
      case 'deadline':
        if (!c || !l) return none('USD');
        return l.mean > objective.deadlineMs ? none('USD', true) : fromSpread(c, 'USD');
      case 'budget':
        if (!c || !l) return none('ms');
        return c.mean > objective.budgetUSD ? none('ms', true) : fromSpread(l, 'ms');
    }
  });
}

/** How the plan's score compares with another's: better/worse beyond the spread, or within it. */
export function verdict(plan: Score, other: Score): 'better' | 'worse' | 'within' | 'n/a' {
  if (plan.mean === null) return other.mean === null ? 'n/a' : 'worse';
  if (other.mean === null) return 'better';
  const d = differs(asSpread(plan), asSpread(other));
  return d < 0 ? 'better' : d > 0 ? 'worse' : 'within';
}

function asSpread(s: Score): Spread {
  return { mean: s.mean!, min: s.min!, max: s.max!, sd: s.sd!, n: s.n };
}
