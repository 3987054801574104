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

export function evalLinear(theta: readonly number[], basis: readonly Basis[], x: Features): number {
  let s = 0;
  for (let k = 0; k < basis.length; k++) s += theta[k]! * basis[k]!(x);
  return s;
}
