/**
 * Exact (latency, cost) Pareto fronts for the bench's workflow truth: a stage's front from its
 * truth table, composed along a series-parallel expression (series: latencies add; parallel:
 * the slowest branch; costs add). The workflow latency of a plan is the same composition of its
 * stages' expected makespans — max of expectations for parallel branches, a stated
 * simplification (the true expected maximum of two branches is a little higher).
 * Fronts are thinned to points at least 0.2 % cheaper than the previous one (the exact fronts of
 * 10⁵-config tables compose into millions of points): the optimum found is within 0.2 % per stage.
 */
import type { SpExpr } from '../stages.js';
import type { GridTable } from './grid-search.js';

export interface FrontPoint {
  latencyMs: number;
  costUSD: number;
}

const THIN = 0.002;

/** Points no other point beats on both latency and cost (thinned, see above), sorted by latency. */
export function paretoOf(points: FrontPoint[]): FrontPoint[] {
  const sorted = [...points].sort((a, b) => a.latencyMs - b.latencyMs || a.costUSD - b.costUSD);
  const out: FrontPoint[] = [];
  for (const p of sorted)
    if (out.length === 0 || p.costUSD < out[out.length - 1]!.costUSD * (1 - THIN)) out.push(p);
  return out;
}

export function tableFront(t: GridTable): FrontPoint[] {
  const pts: FrontPoint[] = [];
  for (let k = 0; k < t.feasible.length; k++)
    if (t.feasible[k]) pts.push({ latencyMs: t.makespanMs[k]!, costUSD: t.costUSD[k]! });
  return paretoOf(pts);
}

function combine(a: FrontPoint[], b: FrontPoint[], parallel: boolean): FrontPoint[] {
  const out: FrontPoint[] = [];
  for (const x of a)
    for (const y of b)
      out.push({
        latencyMs: parallel ? Math.max(x.latencyMs, y.latencyMs) : x.latencyMs + y.latencyMs,
        costUSD: x.costUSD + y.costUSD,
      });
  return paretoOf(out);
}

export function composeFront(expr: SpExpr, fronts: Map<string, FrontPoint[]>): FrontPoint[] {
  if (typeof expr === 'string') return fronts.get(expr)!;
  const parts = ('series' in expr ? expr.series : expr.parallel).map((e) => composeFront(e, fronts));
  return parts.slice(1).reduce((acc, f) => combine(acc, f, 'parallel' in expr), parts[0]!);
}

/** Workflow latency of per-stage latencies along the expression. */
export function composeLatency(expr: SpExpr, latency: Map<string, number>): number {
  if (typeof expr === 'string') return latency.get(expr)!;
  const parts = ('series' in expr ? expr.series : expr.parallel).map((e) => composeLatency(e, latency));
  return 'series' in expr ? parts.reduce((a, b) => a + b, 0) : Math.max(...parts);
}
