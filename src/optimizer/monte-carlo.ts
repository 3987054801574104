/**
 * The workflow's latency distribution by Monte Carlo, composing stage distributions (never
 * summing stage percentiles). Stage v's makespan in draw d is lognormal (lognormal.ts):
 *   L(v,d) = exp(μv + σv · z(v,d)),  μv = ln mean − σv²/2,
 *   finish(v,d) = L(v,d) + max over parents u of finish(u,d),   latency(d) = max over sinks.
 * Every candidate plan is simulated on the same normals z (common random numbers, from a seeded
 * PRNG), so candidates are compared without sampling noise and the same seed gives the same plan.
 */
import type { Dag } from '../core/dag.js';
import { logLocation } from './lognormal.js';
import { standardNormals } from './rng.js';

export interface StageDistribution {
  meanMs: number;
  logSd: number;
}

/** A DAG as index arrays in topological order, for the inner loop. */
export interface IndexedDag {
  stages: string[];
  parents: number[][];
  sinks: number[];
}

export function indexDag(dag: Dag): IndexedDag {
  const stages = [...dag.order];
  const index = new Map(stages.map((s, i) => [s, i]));
  return {
    stages,
    parents: stages.map((s) => (dag.parents.get(s) ?? []).map((p) => index.get(p)!)),
    sinks: dag.sinks.map((s) => index.get(s)!),
  };
}

export interface MonteCarlo {
  draws: number;
  /** z(v,d) at v · draws + d, for stage v in IndexedDag order. */
  normals: Float64Array;
}

export function monteCarlo(stageCount: number, draws: number, seed: number): MonteCarlo {
  return { draws, normals: standardNormals(seed, stageCount * draws) };
}

/** One workflow latency per draw, sorted ascending. `stages[v]` follows IndexedDag order. */
export function simulateLatency(
  dag: IndexedDag,
  stages: readonly StageDistribution[],
  mc: MonteCarlo,
): Float64Array {
  const n = dag.stages.length;
  const { draws, normals } = mc;
  const finish = new Float64Array(n * draws);
  for (let v = 0; v < n; v++) {
    const s = stages[v]!;
    const mu = logLocation(s.meanMs, s.logSd);
    const sigma = s.logSd;
    const parents = dag.parents[v]!;
    const row = v * draws;
    for (let d = 0; d < draws; d++) {
      let start = 0;
      for (const u of parents) {
        const f = finish[u * draws + d]!;
        if (f > start) start = f;
      }
      finish[row + d] = start + (sigma > 0 ? Math.exp(mu + sigma * normals[row + d]!) : s.meanMs);
    }
  }
  const out = new Float64Array(draws);
  for (const v of dag.sinks) {
    const row = v * draws;
    for (let d = 0; d < draws; d++) if (finish[row + d]! > out[d]!) out[d] = finish[row + d]!;
  }
  return out.sort();
}

/** The q-quantile (0…1) of sorted draws, linearly interpolated (Hyndman & Fan type 7). */
export function sortedQuantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface LatencySummary {
  meanMs: number;
  /** The objective's statistic: the mean, or the percentile of the draws. */
  statMs: number;
  /** sd of ln(latency) over the draws. */
  logSd: number;
  /** The central 90 % interval of one run's latency. */
  intervalMs: [number, number];
}

export function summarizeLatency(sorted: Float64Array, percentile: number | null): LatencySummary {
  let sum = 0;
  let sumLog = 0;
  let sumLog2 = 0;
  for (const x of sorted) {
    sum += x;
    const l = Math.log(x);
    sumLog += l;
    sumLog2 += l * l;
  }
  const n = sorted.length;
  const meanLog = sumLog / n;
  const meanMs = sum / n;
  return {
    meanMs,
    statMs: percentile === null ? meanMs : sortedQuantile(sorted, percentile / 100),
    logSd: n > 1 ? Math.sqrt(Math.max(0, (sumLog2 - n * meanLog * meanLog) / (n - 1))) : 0,
    intervalMs: [sortedQuantile(sorted, 0.05), sortedQuantile(sorted, 0.95)],
  };
}
