/**
 * A stage's makespan as a lognormal with the model's mean m and log-sd σ (`makespanLogSd`):
 * ln L ~ N(μ, σ²) with μ = ln m − σ²/2, so E[L] = m. Its p-quantile is exp(μ + Φ⁻¹(p)·σ).
 * The latency statistic of an objective is the mean m, or the percentile's quantile.
 */
import { normalQuantile, studentQuantile } from '../core/normal.js';

/** μ = ln m − σ²/2: the log-location that keeps the mean at m. */
export function logLocation(meanMs: number, logSd: number): number {
  return Math.log(meanMs) - (logSd * logSd) / 2;
}

/** The p-quantile (0 < p < 1) of a lognormal with mean m and log-sd σ: exp(μ + Φ⁻¹(p)·σ). */
export function lognormalQuantile(mean: number, logSd: number, p: number): number {
  if (logSd <= 0) return mean;
  return Math.exp(logLocation(mean, logSd) + normalQuantile(p) * logSd);
}

/** The objective's latency statistic: the mean when `percentile` is null, else that percentile (50…99). */
export function latencyStatistic(meanMs: number, logSd: number, percentile: number | null): number {
  return percentile === null ? meanMs : lognormalQuantile(meanMs, logSd, percentile / 100);
}

/**
 * The central `level` prediction interval [q((1−level)/2), q((1+level)/2)] of one run. With `df`,
 * the degrees of freedom the log-sd was estimated with, the quantile is Student's t rather than the
 * normal's: a log-sd from a handful of configs and repetitions is itself uncertain, and the normal
 * quantile then covers less than it says.
 */
export function lognormalInterval(mean: number, logSd: number, level = 0.9, df = Infinity): [number, number] {
  const t = studentQuantile((1 + level) / 2, df);
  const mu = logLocation(mean, logSd);
  return [Math.exp(mu - t * logSd), Math.exp(mu + t * logSd)];
}

/**
 * The log-sd of a sum of independent lognormals with means mᵢ and log-sds σᵢ, matched by moments
 * (Fenton–Wilkinson): Var = Σ mᵢ²·(exp(σᵢ²) − 1), σ² = ln(1 + Var / (Σ mᵢ)²).
 */
export function sumLogSd(means: readonly number[], logSds: readonly number[]): number {
  let total = 0;
  let variance = 0;
  means.forEach((m, i) => {
    const s = logSds[i] ?? 0;
    total += m;
    variance += m * m * Math.expm1(s * s);
  });
  return total > 0 ? Math.sqrt(Math.log1p(variance / (total * total))) : 0;
}
