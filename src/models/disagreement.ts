/**
 * Model disagreement: where the candidate families that cross-validate about as well as the
 * chosen one predict different things (typically far outside the profiled configs), the mean is
 * not known, whatever each family's own error says. Its variance is the weighted mean square of
 * ln(ŷ_f / ŷ_chosen) over the candidates f, with pseudo-Bayesian-model-averaging weights
 * (Yao et al., "Using stacking to average Bayesian predictive distributions", 2018, §3.1) from
 * their leave-one-config-out ln-residuals r_f: with a normal predictive of variance
 * s_f² = mean(r_f²), exp(elpd_f) ∝ s_f^(−m) over the m held-out configs, so
 *   w_f ∝ (s_f²)^(−m/2),
 * a family twice as far off as the best weighing 2^(−m) as much. Only the top families count:
 * those whose LOCO mean square is within MAX_MS_RATIO × the best's (on 7 configs the others weigh
 * < 9 % of the best), at most MAX_ALTERNATIVES besides the chosen one — each costs a prediction
 * in the optimizer's hot path.
 */

/** Candidates whose LOCO ln mean square is over this multiple of the best's are dropped. */
export const MAX_MS_RATIO = 2;
/** Most alternatives kept per target, by weight. */
export const MAX_ALTERNATIVES = 2;
/** Smallest LOCO ln mean square taken (a near-perfect fold would take all the weight). */
const MIN_MS = 1e-4;

/** Mean square of ln-residuals. */
export function meanSquare(res: readonly number[]): number {
  let s = 0;
  for (const r of res) s += r * r;
  return res.length > 0 ? s / res.length : NaN;
}

/**
 * Weights summing to 1 (0 for dropped candidates) from the candidates' LOCO ln mean squares and
 * the number of held-out configs; all zero when none is finite.
 */
export function pseudoBmaWeights(meanSquares: readonly number[], folds: number): number[] {
  const finite = meanSquares.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return meanSquares.map(() => 0);
  const best = Math.max(Math.min(...finite), MIN_MS);
  const raw = meanSquares.map((v) =>
    Number.isFinite(v) && v <= MAX_MS_RATIO * best ? Math.pow(Math.max(v, MIN_MS) / best, -folds / 2) : 0,
  );
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / total);
}
