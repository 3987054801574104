/**
 * Gaussian-process regression (Rasmussen & Williams, GPML 2006, alg. 2.1) with the kernel
 *   k(x, x') = c² + s²·xᵀx' + σf²·exp(−‖x − x'‖²/(2ℓ²)) + σn²·[x = x'],
 * on standardised inputs: a Bayesian linear trend (so it extrapolates like a power law when the
 * inputs are logs, with variance that grows away from the data) plus a smooth squared-
 * exponential correction. Hyper-parameters (ℓ, σf², σn²) maximise the log marginal likelihood
 *   log p(y|X) = −½·yᵀK⁻¹y − Σ log L_ii − (n/2)·log 2π
 * over a small deterministic grid (reproducible, no optimiser restarts). The trend can be
 * switched off when the GP models the residuals of a fitted mean.
 */
import { backSolve, cholesky, forwardSolve } from './cholesky.js';

export interface GpHyper {
  lengthScale: number;
  signalVar: number;
  noiseVar: number;
}

export interface FittedGp {
  readonly hyper: GpHyper;
  readonly logMarginalLikelihood: number;
  /** Posterior mean and latent variance (noise excluded) at a raw input. */
  predict(x: ArrayLike<number>): { mean: number; variance: number };
  /** Posterior mean at a raw input; allocates nothing. */
  mean(x: ArrayLike<number>): number;
  /**
   * Latent variance (noise excluded) at a raw input; allocates nothing, and reuses the kernel
   * column of the last `mean` call when it was at the same input.
   */
  variance(x: ArrayLike<number>): number;
  /** An upper bound of `variance` over every input, or Infinity when it has none (the trend). */
  readonly maxVariance: number;
}

const BIAS_VAR = 1;
const SLOPE_VAR = 1;
const LENGTH_SCALES = [0.5, 1, 2, 4];
const SIGNAL_VARS = [0.005, 0.02, 0.08, 0.32];
const NOISE_VARS = [1e-4, 1e-3, 0.004, 0.016, 0.064];

export interface GpOptions {
  /** Include the Bayesian linear trend c² + s²·xᵀx' (default true); off for residuals of a fitted mean. */
  trend?: boolean;
}

export function fitGaussianProcess(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  options: GpOptions = {},
): FittedGp {
  const trendVar = options.trend === false ? 0 : 1;
  const n = ys.length;
  const dims = n === 0 ? 0 : xs[0]!.length;
  // Standardise; constant dimensions are dropped (scale 0).
  const mu = new Array<number>(dims).fill(0);
  const inv = new Array<number>(dims).fill(0);
  for (let d = 0; d < dims; d++) {
    let s = 0;
    for (const x of xs) s += x[d]!;
    mu[d] = s / n;
    let v = 0;
    for (const x of xs) v += (x[d]! - mu[d]!) ** 2;
    const sd = Math.sqrt(v / n);
    inv[d] = sd > 1e-9 ? 1 / sd : 0;
  }
  const z = xs.map((x) => x.map((v, d) => (v - mu[d]!) * inv[d]!));
  const yMean = trendVar > 0 ? ys.reduce((s, v) => s + v, 0) / Math.max(n, 1) : 0;
  const yc = ys.map((v) => v - yMean);

  const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    let s = 0;
    for (let d = 0; d < dims; d++) s += a[d]! * b[d]!;
    return s;
  };
  const sq = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    let s = 0;
    for (let d = 0; d < dims; d++) s += (a[d]! - b[d]!) ** 2;
    return s;
  };
  const kern = (a: ArrayLike<number>, b: ArrayLike<number>, h: GpHyper): number =>
    trendVar * (BIAS_VAR + SLOPE_VAR * dot(a, b)) +
    h.signalVar * Math.exp(-sq(a, b) / (2 * h.lengthScale ** 2));

  let best: { hyper: GpHyper; lml: number; l: number[][]; alpha: number[] } | null = null;
  for (const lengthScale of LENGTH_SCALES) {
    for (const signalVar of SIGNAL_VARS) {
      for (const noiseVar of NOISE_VARS) {
        const h = { lengthScale, signalVar, noiseVar };
        const k = z.map((a, i) => z.map((b, j) => kern(a, b, h) + (i === j ? noiseVar : 0)));
        const l = cholesky(k);
        if (!l) continue;
        const alpha = backSolve(l, forwardSolve(l, yc));
        let lml = -0.5 * yc.reduce((s, v, i) => s + v * alpha[i]!, 0) - 0.5 * n * Math.log(2 * Math.PI);
        for (let i = 0; i < n; i++) lml -= Math.log(l[i]![i]!);
        if (!best || lml > best.lml + 1e-12) best = { hyper: h, lml, l, alpha };
      }
    }
  }
  if (!best) throw new Error('gaussian process: no positive-definite kernel on the grid');
  const { hyper, l, alpha } = best;

  // Prediction only needs the distinct inputs (repetitions of a config share one): with P the
  // n×u indicator of each point's input, k* = P·k*u, so the mean is k*uᵀ(Pᵀα) and the latent
  // variance k** − k*ᵀK⁻¹k* = k** − k*uᵀ(PᵀK⁻¹P)k*u. Both are cached here, at fit time.
  const uniq: number[] = [];
  const of = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let u = uniq.findIndex((j) => sq(z[j]!, z[i]!) === 0);
    if (u < 0) {
      u = uniq.length;
      uniq.push(i);
    }
    of[i] = u;
  }
  const nu = uniq.length;
  const zu = new Float64Array(nu * dims);
  uniq.forEach((i, u) => zu.set(z[i]!, u * dims));
  const alphaU = new Float64Array(nu);
  for (let i = 0; i < n; i++) alphaU[of[i]!] = alphaU[of[i]!]! + alpha[i]!;
  const m = new Float64Array(nu * nu);
  for (let u = 0; u < nu; u++) {
    const col = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) if (of[i] === u) col[i] = 1;
    const kinvCol = backSolve(l, forwardSolve(l, col));
    for (let i = 0; i < n; i++) {
      const at = of[i]! * nu + u;
      m[at] = m[at]! + kinvCol[i]!;
    }
  }
  // Symmetrise (the two triangles differ by rounding) and fold the quadratic form's halves.
  const quad = new Float64Array(nu * nu);
  for (let a = 0; a < nu; a++) {
    quad[a * nu + a] = m[a * nu + a]!;
    for (let b = a + 1; b < nu; b++) quad[a * nu + b] = m[a * nu + b]! + m[b * nu + a]!;
  }

  const trend = trendVar > 0;
  const inv2l2 = 1 / (2 * hyper.lengthScale ** 2);
  const signalVar = hyper.signalVar;
  const zx = new Float64Array(dims);
  const last = new Float64Array(dims);
  let lastValid = false;
  const kStar = new Float64Array(nu);
  /** Standardises x into zx and fills kStar; returns whether it reused the previous column. */
  const column = (x: ArrayLike<number>): void => {
    let same = lastValid;
    for (let d = 0; d < dims; d++) {
      const v = (x[d]! - mu[d]!) * inv[d]!;
      if (v !== last[d]) same = false;
      zx[d] = v;
    }
    if (same) return;
    for (let u = 0; u < nu; u++) {
      const off = u * dims;
      let s2 = 0;
      let dt = 0;
      for (let d = 0; d < dims; d++) {
        const zd = zx[d]!;
        const diff = zd - zu[off + d]!;
        s2 += diff * diff;
        dt += zd * zu[off + d]!;
      }
      kStar[u] = (trend ? BIAS_VAR + SLOPE_VAR * dt : 0) + signalVar * Math.exp(-s2 * inv2l2);
    }
    last.set(zx);
    lastValid = true;
  };
  const meanAt = (x: ArrayLike<number>): number => {
    column(x);
    let s = 0;
    for (let u = 0; u < nu; u++) s += kStar[u]! * alphaU[u]!;
    return s + yMean;
  };
  const varianceAt = (x: ArrayLike<number>): number => {
    column(x);
    let zz = 0;
    for (let d = 0; d < dims; d++) zz += zx[d]! * zx[d]!;
    const kss = (trend ? BIAS_VAR + SLOPE_VAR * zz : 0) + signalVar;
    let vv = 0;
    for (let a = 0; a < nu; a++) {
      const ka = kStar[a]!;
      const row = a * nu;
      let s = 0;
      for (let b = a; b < nu; b++) s += quad[row + b]! * kStar[b]!;
      vv += ka * s;
    }
    return Math.max(kss - vv, 0);
  };
  return {
    hyper,
    logMarginalLikelihood: best.lml,
    maxVariance: trend ? Infinity : signalVar,
    mean: meanAt,
    variance: varianceAt,
    predict: (x) => ({ mean: meanAt(x), variance: varianceAt(x) }),
  };
}
