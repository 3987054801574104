/**
 * Non-negative linear models y ≈ Σ θ_k·φ_k(x), θ ≥ 0, fitted by NNLS on relative residuals:
 * row i is divided by y_i, so the fit minimises Σ ((ŷ_i − y_i)/y_i)², the error the
 * benchmark and the CV score measure, and short and long runs weigh alike.
 */
import type { Features, TrainingPoint } from './features.js';
import { nnls } from './nnls.js';

export type Basis = (x: Features) => number;

export interface LinearFit {
  theta: number[];
  /** Σ of squared relative residuals. */
  relativeSS: number;
}

export function fitNonNegativeLinear(points: readonly TrainingPoint[], basis: readonly Basis[]): LinearFit {
  const a: number[][] = [];
  const b: number[] = [];
  for (const p of points) {
    const w = 1 / Math.max(p.y, 1e-9);
    a.push(basis.map((f) => f(p.x) * w));
    b.push(p.y * w);
  }
  const { x, residualSS } = nnls(a, b);
  return { theta: x, relativeSS: residualSS };
}

/**
 * The fit with those of the `optional` terms the data support: each subset of them is dropped in
 * turn (its coefficients held at 0) and the subset of least BIC, n·ln(SS/n) + k·ln n with k the
 * terms allowed (the nested models' dimensions, as an F-test counts them), wins. NNLS alone keeps
 * any term that lowers the residual at all: on 8 configs a term in n fitted as well as a constant
 * did (relative SS 0.0347 against 0.0360) and carried its slope 30× past the profiled workers.
 */
export function fitPruned(
  points: readonly TrainingPoint[],
  basis: readonly Basis[],
  optional: readonly number[],
  full: LinearFit = fitNonNegativeLinear(points, basis),
): LinearFit {
  const n = points.length;
  const bic = (f: LinearFit, terms: number): number =>
    n * Math.log(Math.max(f.relativeSS, 1e-300) / n) + terms * Math.log(n);
  let best = full;
  let bestBic = bic(full, basis.length);
  // Non-empty subsets of `optional` to drop, as bit masks.
  for (let mask = 1; mask < 1 << optional.length; mask++) {
    const drop = new Set(optional.filter((_, i) => mask & (1 << i)));
    // Terms NNLS left at 0 change nothing when dropped.
    if ([...drop].every((k) => !(full.theta[k]! > 0))) continue;
    const kept = basis.map((_, k) => k).filter((k) => !drop.has(k));
    const sub = fitNonNegativeLinear(
      points,
      kept.map((k) => basis[k]!),
    );
    const theta = new Array<number>(basis.length).fill(0);
    kept.forEach((k, i) => (theta[k] = sub.theta[i]!));
    const candidate = { theta, relativeSS: sub.relativeSS };
    const b = bic(candidate, kept.length);
    if (b < bestBic) {
      best = candidate;
      bestBic = b;
    }
  }
  return best;
}

export function evalLinear(theta: readonly number[], basis: readonly Basis[], x: Features): number {
  let s = 0;
  for (let k = 0; k < basis.length; k++) s += theta[k]! * basis[k]!(x);
  return s;
}
