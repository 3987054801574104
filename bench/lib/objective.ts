/** The three objectives the bench scores, and the true value of a config under each. */
import type { Objective } from '../../src/core/types.js';

export type ObjectiveKind = 'cost' | 'latency' | 'deadline';
export const OBJECTIVE_KINDS: readonly ObjectiveKind[] = ['cost', 'latency', 'deadline'];

export interface BenchObjective {
  kind: ObjectiveKind;
  /** For `deadline`: the bound on the mean latency. */
  deadlineMs?: number;
}

export function toObjective(o: BenchObjective): Objective {
  if (o.kind === 'deadline') return { kind: 'deadline', deadlineMs: o.deadlineMs!, percentile: null };
  return { kind: o.kind, percentile: null };
}

export interface Outcome {
  makespanMs: number;
  costUSD: number;
  feasible: boolean;
}

/** The value an objective minimises; Infinity where the config fails it (infeasible, or late for a deadline). */
export function objectiveValue(o: BenchObjective, x: Outcome): number {
  if (!x.feasible || !Number.isFinite(x.makespanMs)) return Infinity;
  if (o.kind === 'latency') return x.makespanMs;
  if (o.kind === 'deadline' && x.makespanMs > o.deadlineMs!) return Infinity;
  return x.costUSD;
}

/** Regret of a recommendation: its true objective / the true optimum − 1; Infinity for a failure. */
export function regret(o: BenchObjective, chosen: Outcome, optimum: number): number {
  const v = objectiveValue(o, chosen);
  return Number.isFinite(v) ? Math.max(0, v / optimum - 1) : Infinity;
}
