/**
 * Makespan follows the slowest worker. With worker finish times lognormal (log-sd σ) around a
 * mean F, the expected maximum of n of them is about
 *   E[max] ≈ F·exp(σ·z_n − σ²/2),  z_n = Φ⁻¹((n − 0.375)/(n + 0.25))
 * (Blom's approximation of the expected largest of n standard normals; exp(−σ²/2) turns the
 * lognormal mean into its median). n = 1 gives F exactly.
 * Workers past the concurrency C run in ⌈n/C⌉ waves of at most C, each waiting for its slowest.
 */
import { normalCdf, normalQuantile } from '../core/normal.js';
import type { FinishTail } from './finish-tail.js';

const CACHE_SIZE = 4097;
const zCache = new Float64Array(CACHE_SIZE).fill(NaN);

/** Blom's expected largest of n standard normals (0 for n = 1). */
export function expectedMaxNormal(n: number): number {
  if (n <= 1) return 0;
  const k = Math.round(n);
  if (k < CACHE_SIZE) {
    const cached = zCache[k]!;
    if (!Number.isNaN(cached)) return cached;
    const z = normalQuantile((k - 0.375) / (k + 0.25));
    zCache[k] = z;
    return z;
  }
  return normalQuantile((n - 0.375) / (n + 0.25));
}

/**
 * E[max of n finish times] / their mean: lognormal, or with the measured shape of the finishes
 * when a tail is given (finish-tail.ts).
 */
export function stragglerFactor(n: number, logSd: number, tail: FinishTail | null = null): number {
  if (n <= 1 || logSd <= 0) return 1;
  if (tail) return Math.max(1, Math.exp(logSd * tail.quantileOfMax(n) - tail.cumulant(logSd)));
  return Math.max(1, Math.exp(logSd * expectedMaxNormal(n) - (logSd * logSd) / 2));
}

const varCache = new Float64Array(CACHE_SIZE).fill(NaN);
const wideVarCache = new Map<number, number>();

/**
 * Variance of the largest of n standard normals (1 for n = 1, ≈ 0.34 for 10, ≈ 0.13 for 1,000):
 * how much a run's slowest worker moves from run to run, in units of the workers' own spread.
 * Midpoint quadrature of n·φ(z)·Φ(z)^(n−1) over [−8, 8] (its error is far below what it scales),
 * cached per n (in an array below CACHE_SIZE, as the expected maximum: the optimizer's hot path).
 */
export function maxNormalVariance(n: number): number {
  const k = Math.max(1, Math.round(n));
  if (k === 1) return 1;
  const hit = k < CACHE_SIZE ? varCache[k]! : (wideVarCache.get(k) ?? NaN);
  if (!Number.isNaN(hit)) return hit;
  const steps = 1600;
  const h = 16 / steps;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < steps; i++) {
    const z = -8 + (i + 0.5) * h;
    const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const w = k * pdf * Math.pow(normalCdf(z), k - 1) * h;
    m1 += w * z;
    m2 += w * z * z;
  }
  const v = m2 - m1 * m1;
  if (k < CACHE_SIZE) varCache[k] = v;
  else wideVarCache.set(k, v);
  return v;
}

/**
 * Spread of the finish times (cold start + worker time) across a run's workers: the pooled ln-sd
 * of the finishes, and where the workers report their cold starts, the ln-sd of each part apart.
 */
export interface FinishSpread {
  pooled: number;
  cold: number | null;
  work: number | null;
  /** The measured shape of the finishes, standardised by these spreads; null: lognormal. */
  tail?: FinishTail | null;
}

/**
 * ln-sd of the finish at a config whose mean cold start and worker time are `coldMs`, `workMs`.
 * The parts apart weigh each spread by its share: a run of many short partitions is as spread as
 * its cold starts, one of few long ones as its work. Their sum is taken as the lognormal of the
 * same mean and variance (Fenton–Wilkinson). Without the parts, the pooled ln-sd.
 */
export function finishLogSdAt(spread: FinishSpread, coldMs: number, workMs: number): number {
  const { cold, work } = spread;
  const mean = coldMs + workMs;
  if (cold == null || work == null || !(mean > 0)) return spread.pooled;
  const variance = coldMs * coldMs * Math.expm1(cold * cold) + workMs * workMs * Math.expm1(work * work);
  return Math.sqrt(Math.log1p(variance / (mean * mean)));
}

/** Number of waves and the size of a full wave at concurrency `concurrency`. */
export function waves(n: number, concurrency: number | undefined): { count: number; width: number } {
  if (concurrency == null || !(concurrency > 0) || n <= concurrency) return { count: 1, width: n };
  return { count: Math.ceil(n / concurrency), width: concurrency };
}
