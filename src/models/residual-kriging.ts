/**
 * The model conditioned on what was measured: simple kriging of the ln-residuals of the
 * per-config mean makespans (and billed times) against the fitted model.
 *
 * The model's error at x is a zero-mean Gaussian field in the log knobs (workers, memory, vCPU,
 * partition, each over its profiled range) with sd √v(x) — v the model error variance the LOCO
 * folds measured, growing away from the profiled configs — and correlation exp(−d²/2ℓ²). A
 * config's measured mean is the truth plus noise of variance noise²/reps. The posterior mean of
 * the error, r(x) = k(x)ᵀ(K + N)⁻¹e, corrects the prediction at and near the measured configs
 * and fades to 0 away from them; its posterior variance v(x) − k(x)ᵀ(K + N)⁻¹k(x) shrinks the
 * model's uncertainty toward the measured mean's there and grows back to v(x) away. ℓ is chosen
 * by the marginal likelihood of the residuals over a grid — and so is the noise's scale when the
 * caller could not measure it (no repeated config): the scatter of near-identical configs is then
 * the noise, and an assumed one that is too small would trust one lucky run as the mean.
 */
import { cholesky, backSolve, forwardSolve } from './cholesky.js';

const LENGTH_GRID = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1] as const;
/**
 * Fewest measured configs to condition on: the correlation length is estimated from the
 * residuals, which 2–3 configs cannot identify (the same bound as the model error's shape).
 */
export const MIN_KRIGING_CONFIGS = 4;

export interface KrigingPoint {
  /** Scaled coordinates (4). */
  c: number[];
  /** Model error variance at the point. */
  v: number;
  /** Noise variance of the measured mean. */
  noise: number;
  /** ln(measured mean / model). */
  e: number;
  /** ln(measured mean billed / model billed). */
  eBilled: number;
  noiseBilled: number;
}

export interface Kriging {
  length: number;
  coords: Float64Array;
  sd: Float64Array;
  alpha: Float64Array;
  alphaBilled: Float64Array;
  /** (K + N)⁻¹, row-major. */
  inverse: Float64Array;
  m: number;
  /** Factor on every point's noise variances chosen by the likelihood (1 when not asked to). */
  noiseScale: number;
}

export interface KrigingOptions {
  /** Factors on the points' noise variances to choose from by likelihood (default [1]: as given). */
  noiseScales?: readonly number[];
}

function corr(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number, l2: number): number {
  let s = 0;
  for (let d = 0; d < 4; d++) {
    const v = a[ai + d]! - b[bi + d]!;
    s += v * v;
  }
  return Math.exp(-s / (2 * l2));
}

function matrix(points: readonly KrigingPoint[], l: number, noise: (p: KrigingPoint) => number): number[][] {
  const m = points.length;
  const l2 = l * l;
  const k: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < m; j++) {
      const c = corr(points[i]!.c, 0, points[j]!.c, 0, l2) * Math.sqrt(points[i]!.v * points[j]!.v);
      row.push(i === j ? c + noise(points[i]!) + 1e-12 : c);
    }
    k.push(row);
  }
  return k;
}

export function fitKriging(points: readonly KrigingPoint[], options: KrigingOptions = {}): Kriging | null {
  const m = points.length;
  if (m < MIN_KRIGING_CONFIGS) return null;
  let best: { l: number; scale: number; ll: number } | null = null;
  for (const scale of options.noiseScales ?? [1])
    for (const l of LENGTH_GRID) {
      const ch = cholesky(matrix(points, l, (p) => scale * p.noise));
      if (!ch) continue;
      const y = forwardSolve(
        ch,
        points.map((p) => p.e),
      );
      let ll = -0.5 * y.reduce((s, v) => s + v * v, 0);
      for (let i = 0; i < m; i++) ll -= Math.log(ch[i]![i]!);
      if (!best || ll > best.ll) best = { l, scale, ll };
    }
  if (!best) return null;
  const { l: length, scale } = best;
  // One factorisation of K + N serves the makespan's weights and the posterior inverse.
  const ch = cholesky(matrix(points, length, (p) => scale * p.noise));
  const chBilled = cholesky(matrix(points, length, (p) => scale * p.noiseBilled));
  if (!ch || !chBilled) return null;
  const weights = (c: number[][], e: number[]): Float64Array =>
    Float64Array.from(backSolve(c, forwardSolve(c, e)));
  const alpha = weights(
    ch,
    points.map((p) => p.e),
  );
  const alphaBilled = weights(
    chBilled,
    points.map((p) => p.eBilled),
  );
  const inverse = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    const unit = new Array<number>(m).fill(0);
    unit[j] = 1;
    const col = backSolve(ch, forwardSolve(ch, unit));
    for (let i = 0; i < m; i++) inverse[i * m + j] = col[i]!;
  }
  const coords = new Float64Array(4 * m);
  points.forEach((p, i) => p.c.forEach((v, d) => (coords[4 * i + d] = v)));
  return {
    length,
    noiseScale: scale,
    coords,
    sd: Float64Array.from(points, (p) => Math.sqrt(p.v)),
    alpha,
    alphaBilled,
    inverse,
    m,
  };
}

/**
 * At scaled coordinates c with model error variance v: the ln-corrections of the makespan and
 * billed time and the posterior variance of the model error, written to `out` [r, rBilled, var].
 * `k` is scratch of length m.
 */
export function krigeAt(
  g: Kriging,
  c: ArrayLike<number>,
  v: number,
  k: Float64Array,
  out: Float64Array,
): void {
  const l2 = g.length * g.length;
  const sv = Math.sqrt(v);
  let r = 0;
  let rb = 0;
  for (let i = 0; i < g.m; i++) {
    const ki = corr(c, 0, g.coords, 4 * i, l2) * sv * g.sd[i]!;
    k[i] = ki;
    r += ki * g.alpha[i]!;
    rb += ki * g.alphaBilled[i]!;
  }
  let q = 0;
  for (let i = 0; i < g.m; i++) {
    if (k[i] === 0) continue;
    let s = 0;
    for (let j = 0; j < g.m; j++) s += g.inverse[i * g.m + j]! * k[j]!;
    q += k[i]! * s;
  }
  out[0] = r;
  out[1] = rb;
  out[2] = Math.max(v - q, 0);
}
