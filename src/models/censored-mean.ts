/**
 * The mean of one config's runs when some of them timed out: the runs that finished are the
 * lucky ones, so their mean (or a mean that counts each timeout at the timeout) is too low.
 * Maximum likelihood of a lognormal's location μ with known log-sd σ, the finished runs observed
 * (ln y) and k runs right-censored at ln T (Tobit):
 *   ℓ(μ) = Σ ln φ((ln y − μ)/σ) + k·ln(1 − Φ((ln T − μ)/σ)),
 * concave in μ, so its derivative is bisected. Returns the arithmetic mean exp(μ + σ²/2).
 */
import { normalCdf } from '../core/normal.js';

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** φ(z)/(1 − Φ(z)), the normal's hazard, with its asymptote z for large z. */
function hazard(z: number): number {
  const tail = 1 - normalCdf(z);
  if (tail < 1e-12) return z;
  return Math.exp(-0.5 * z * z) / SQRT_2PI / tail;
}

export function censoredMean(
  finishedMs: readonly number[],
  timedOut: number,
  timeoutMs: number,
  logSd: number,
): number {
  const logs = finishedMs.filter((y) => y > 0).map(Math.log);
  const lnT = Math.log(timeoutMs);
  const sigma = Math.max(logSd, 1e-3);
  if (timedOut === 0) return logs.length ? finishedMs.reduce((a, b) => a + b, 0) / finishedMs.length : NaN;
  const slope = (mu: number): number =>
    logs.reduce((a, l) => a + (l - mu) / (sigma * sigma), 0) +
    (timedOut * hazard((lnT - mu) / sigma)) / sigma;
  // Only timeouts: the likelihood keeps rising; the least the runs allow is the timeout itself.
  if (logs.length === 0) return timeoutMs;
  let lo = Math.min(lnT, ...logs);
  let hi = Math.max(lnT, ...logs) + 10 * sigma;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (slope(mid) > 0) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2 + (sigma * sigma) / 2);
}
