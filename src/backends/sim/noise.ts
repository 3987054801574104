/**
 * The simulator's noise: lognormal factors and the normal tail they need. A mean-one lognormal
 * exp(σZ − σ²/2) keeps the mean phase times equal to the noise-free truth, so the truth's
 * means are exactly what a long series of runs averages to.
 */
import type { Rng } from '../../core/prng.js';

/** exp(σZ − σ²/2): E = 1, sd of ln = σ. */
export function meanOneLognormal(rng: Rng, logSd: number): number {
  return logSd === 0 ? 1 : Math.exp(logSd * rng.normal() - (logSd * logSd) / 2);
}

/**
 * A rare straggler's factor, scaled to mean one: slowdown/E with probability `share`, else 1/E
 * (E = 1 − share + share·slowdown). Draws nothing when there are none, so scenarios without
 * them keep their random streams.
 */
export function rareFactor(rng: Rng, rare: { share: number; slowdown: number }): number {
  if (!(rare.share > 0) || rare.slowdown === 1) return 1;
  const mean = 1 - rare.share + rare.share * rare.slowdown;
  return (rng.next() < rare.share ? rare.slowdown : 1) / mean;
}

/** median · exp(σZ). */
export function medianLognormal(rng: Rng, median: number, logSd: number): number {
  return logSd === 0 ? median : median * Math.exp(logSd * rng.normal());
}

/**
 * Complementary error function with relative error < 1.2e-7 everywhere (Chebyshev fit of
 * Numerical Recipes in C, 2nd ed., §6.2 `erfcc`): the tails matter for the maximum of 1,000 workers.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}
