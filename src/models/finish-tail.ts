/**
 * The shape of the finish times across a run's workers, measured rather than assumed lognormal.
 * Real profiles are not: in flexecutor's AWS Lambda runs, 0.4–0.8 % of the workers finish more
 * than 3 sd above their run's mean (a normal has 0.13 %) while the rest sit tighter than a normal
 * of the same sd — a few cold or throttled workers among warm ones. The slowest of 1,000 workers
 * then lies 8–20 sd out, not 3.2, and the slowest of 10 closer than a normal says.
 *
 * Each worker's ln-finish deviation from its run's mean, scaled by the spread the model expects
 * at that run's config (finishLogSdAt) and by √(k/(k−1)) for a run of k workers, joins one pool
 * of standardised deviations z. For the slowest of n:
 *   E[max] / E[X] ≈ exp(σ·q(pₙ) − K(σ)),  pₙ = (n − 0.375)/(n + 0.25) (Blom),  K(σ) = ln E[e^(σz)]
 * with q the pool's quantile (linear between order statistics) as far as TAIL_POINTS deviations
 * lie above it, then the normal's increments (the measured tail goes on as a normal would), and
 * K the pool's cumulant generating function, tabulated in σ. With the normal's quantile and
 * K = σ²/2 this is straggler.ts's lognormal factor, which a pool keeps when it is smaller than
 * MIN_POOL or no heavier above 3 sd than a normal (heavierThanNormal). Blom's position, not the
 * exact expected maximum over the pool: the latter leans on the pool's few largest deviations,
 * and on rare-straggler scenarios predicted 4–16× past the profiled workers it erred more
 * (mean |ln error| 0.31 against 0.23).
 */
import { normalQuantile } from '../core/normal.js';

/** Fewest deviations for the pool to replace the normal. */
export const MIN_POOL = 200;
/** The measured quantile is used while at least this many deviations lie above it. */
export const TAIL_POINTS = 5;

const SIGMA_GRID = Array.from({ length: 41 }, (_, i) => 0.005 * Math.pow(2, i / 4));

export interface FinishTail {
  /** Standardised deviations, ascending. */
  readonly z: Float64Array;
  /** Quantile at Blom's position for the slowest of n (cached per n). */
  quantileOfMax(n: number): number;
  /** ln E[exp(σ·z)] over the pool. */
  cumulant(sigma: number): number;
}

/** Share of a normal above 3 sd. */
const NORMAL_ABOVE_3 = 1 - 0.9986501019683699;
/** How unlikely under a normal the count above 3 sd must be for the pool to replace it. */
const TAIL_TEST_LEVEL = 1e-3;

/**
 * Whether more deviations lie above 3 sd than a normal would leave there, at TAIL_TEST_LEVEL
 * (Poisson upper tail of the count): a lognormal pool keeps the lognormal factor, whose quantiles
 * are smoother than any sample's.
 */
export function heavierThanNormal(z: ArrayLike<number>): boolean {
  const lambda = z.length * NORMAL_ABOVE_3;
  let k = 0;
  for (let i = 0; i < z.length; i++) if (z[i]! > 3) k++;
  // P(X ≥ k) = 1 − Σ_{j<k} e^(−λ) λ^j / j!
  let term = Math.exp(-lambda);
  let below = 0;
  for (let j = 0; j < k; j++) {
    below += term;
    term *= lambda / (j + 1);
  }
  return 1 - below < TAIL_TEST_LEVEL;
}

/** A tail from standardised deviations; null when the pool is too small, or no heavier than a normal's. */
export function finishTail(deviations: readonly number[]): FinishTail | null {
  const finite = deviations.filter((v) => Number.isFinite(v));
  // The test first: most pools are no heavier than a normal, and need no sorting.
  if (finite.length < MIN_POOL || !heavierThanNormal(finite)) return null;
  const z = Float64Array.from(finite).sort();
  const n = z.length;
  const cache = new Map<number, number>();
  const at = (p: number): number => {
    const h = Math.min(Math.max(p * n - 0.5, 0), n - 1);
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    return z[lo]! + (h - lo) * (z[hi]! - z[lo]!);
  };
  const pMax = 1 - TAIL_POINTS / n;
  const qMax = at(pMax);
  const zMax = normalQuantile(pMax);
  const k = SIGMA_GRID.map((s) => {
    // The largest term, factored out against overflow: z is ascending and σ > 0.
    const m = s * z[n - 1]!;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(s * z[i]! - m);
    return m + Math.log(sum / n);
  });
  return {
    z,
    quantileOfMax(workers: number): number {
      const w = Math.max(1, Math.round(workers));
      let q = cache.get(w);
      if (q === undefined) {
        const p = (w - 0.375) / (w + 0.25);
        q = p <= pMax ? at(p) : qMax + normalQuantile(p) - zMax;
        cache.set(w, q);
      }
      return q;
    },
    cumulant(sigma: number): number {
      if (!(sigma > SIGMA_GRID[0]!)) return (sigma * sigma) / 2;
      const last = SIGMA_GRID.length - 1;
      // Log-spaced grid: index by log2(σ/σ₀)·4, linear between nodes, held past the last.
      const h = Math.min(Math.log2(sigma / SIGMA_GRID[0]!) * 4, last);
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, last);
      const kLo = k[lo]!;
      const kHi = k[hi]!;
      // K grows as σ² near 0: interpolate K/σ², exact at the nodes.
      const a = kLo / SIGMA_GRID[lo]! ** 2;
      const b = kHi / SIGMA_GRID[hi]! ** 2;
      return (a + (h - lo) * (b - a)) * sigma * sigma;
    },
  };
}
