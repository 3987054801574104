/**
 * Makespan follows the slowest worker. With worker finish times lognormal (log-sd σ) around a
 * mean F, the expected maximum of n of them is about
 *   E[max] ≈ F·exp(σ·z_n − σ²/2),  z_n = Φ⁻¹((n − 0.375)/(n + 0.25))
 * (Blom's approximation of the expected largest of n standard normals; exp(−σ²/2) turns the
 * lognormal mean into its median). n = 1 gives F exactly.
 * Workers past the concurrency C run in ⌈n/C⌉ waves of at most C, each waiting for its slowest.
 */

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

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

/** E[max of n lognormal finish times] / their mean. */
export function stragglerFactor(n: number, logSd: number): number {
  if (n <= 1 || logSd <= 0) return 1;
  return Math.max(1, Math.exp(logSd * expectedMaxNormal(n) - (logSd * logSd) / 2));
}

const varCache = new Map<number, number>();

/**
 * Variance of the largest of n standard normals (1 for n = 1, ≈ 0.34 for 10, ≈ 0.13 for 1,000):
 * how much a run's slowest worker moves from run to run, in units of the workers' own spread.
 * Midpoint quadrature of n·φ(z)·Φ(z)^(n−1) over [−8, 8] (its error is far below what it scales).
 */
export function maxNormalVariance(n: number): number {
  const k = Math.max(1, Math.round(n));
  if (k === 1) return 1;
  const hit = varCache.get(k);
  if (hit !== undefined) return hit;
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
  varCache.set(k, v);
  return v;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/**
 * Spread of the finish times (cold start + worker time) across a run's workers: the pooled ln-sd
 * of the finishes, and where the workers report their cold starts, the ln-sd of each part apart.
 */
export interface FinishSpread {
  pooled: number;
  cold: number | null;
  work: number | null;
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
