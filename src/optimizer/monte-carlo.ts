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
import { standardNormals } from '../core/prng.js';

export interface StageDistribution {
  meanMs: number;
  logSd: number;
  /**
   * Spread of the draws about the lognormal's location, in units of logSd (default 1): Student's
   * t₀.₉₅(ν) / z₀.₉₅ makes its 90 % interval the stage's own, whose log-sd rests on ν degrees of
   * freedom (lognormalInterval); the location stays that of (meanMs, logSd).
   */
  widen?: number;
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

/**
 * One stage's draws L(v,·) for a (mean, log-sd), cached by value: the candidates of a plan share
 * most of their stages' points, so each stage's exponentials are computed once per distinct point.
 */
export class StageDrawCache {
  private readonly rows = new Map<string, Float64Array>();
  private readonly means = new Map<string, number>();
  constructor(readonly mc: MonteCarlo) {}

  row(v: number, s: StageDistribution): Float64Array {
    const widen = s.widen ?? 1;
    const key = `${v}|${s.meanMs}|${s.logSd}|${widen}`;
    let out = this.rows.get(key);
    if (out) return out;
    const { draws, normals } = this.mc;
    out = new Float64Array(draws);
    const sigma = s.logSd;
    if (sigma > 0) {
      const mu = logLocation(s.meanMs, sigma);
      const at = v * draws;
      const spread = sigma * widen;
      for (let d = 0; d < draws; d++) out[d] = Math.exp(mu + spread * normals[at + d]!);
    } else out.fill(s.meanMs);
    this.rows.set(key, out);
    return out;
  }

  /** The mean of `row(v, s)`: what the draws make of the stage's mean, sampling error included. */
  rowMean(v: number, s: StageDistribution): number {
    const key = `${v}|${s.meanMs}|${s.logSd}|${s.widen ?? 1}`;
    let m = this.means.get(key);
    if (m === undefined) {
      const row = this.row(v, s);
      m = 0;
      for (let d = 0; d < row.length; d++) m += row[d]!;
      m /= row.length;
      this.means.set(key, m);
    }
    return m;
  }
}

/** One workflow latency per draw, in draw order (unsorted). `stages[v]` follows IndexedDag order. */
export function simulateDraws(
  dag: IndexedDag,
  stages: readonly StageDistribution[],
  mc: MonteCarlo,
  cache: StageDrawCache = new StageDrawCache(mc),
): Float64Array {
  const n = dag.stages.length;
  const { draws } = mc;
  const finish = new Float64Array(n * draws);
  for (let v = 0; v < n; v++) {
    const own = cache.row(v, stages[v]!);
    const parents = dag.parents[v]!;
    const row = v * draws;
    if (parents.length === 0) finish.set(own, row);
    else if (parents.length === 1) {
      const p = parents[0]! * draws;
      for (let d = 0; d < draws; d++) finish[row + d] = finish[p + d]! + own[d]!;
    } else
      for (let d = 0; d < draws; d++) {
        let start = 0;
        for (const u of parents) {
          const f = finish[u * draws + d]!;
          if (f > start) start = f;
        }
        finish[row + d] = start + own[d]!;
      }
  }
  const out = new Float64Array(draws);
  for (const v of dag.sinks) {
    const row = v * draws;
    for (let d = 0; d < draws; d++) if (finish[row + d]! > out[d]!) out[d] = finish[row + d]!;
  }
  return out;
}

/** One workflow latency per draw, sorted ascending. `stages[v]` follows IndexedDag order. */
export function simulateLatency(
  dag: IndexedDag,
  stages: readonly StageDistribution[],
  mc: MonteCarlo,
  cache?: StageDrawCache,
): Float64Array {
  return simulateDraws(dag, stages, mc, cache).sort();
}

/** The objective's statistic of draws in any order: their mean, or their percentile (sorts a copy). */
export function drawStatistic(draws: Float64Array, percentile: number | null): number {
  if (percentile !== null) return sortedQuantile(draws.slice().sort(), percentile / 100);
  let sum = 0;
  for (let d = 0; d < draws.length; d++) sum += draws[d]!;
  return sum / draws.length;
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
