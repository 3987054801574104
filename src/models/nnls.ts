/**
 * Non-negative least squares: argmin ‖A·x − b‖² subject to x ≥ 0.
 *
 * Lawson & Hanson's active-set algorithm (Solving Least Squares Problems, 1974, ch. 23,
 * algorithm NNLS): keep a passive set P of free coefficients; repeatedly free the coefficient
 * with the largest gradient w = Aᵀ(b − A·x), solve the unconstrained problem on P, and when that
 * solution leaves the feasible set step back along the segment x → s to the first bound hit
 * (α = min xᵢ/(xᵢ − sᵢ) over sᵢ ≤ 0) and drop the coefficients that reached zero. Stops when
 * every gradient of a bound coefficient is ≤ tol (the KKT conditions).
 *
 * The subproblems are solved through the normal equations with a tiny ridge on columns scaled
 * to unit norm, which is accurate for the small, well-scaled designs the families build.
 *
 * @example nnls([[1, 0], [0, 1]], [1, -1]) // → [1, 0]
 */
import { solveSymmetric } from './cholesky.js';

export interface NnlsResult {
  x: number[];
  /** ‖A·x − b‖² at the solution. */
  residualSS: number;
}

export function nnls(a: readonly (readonly number[])[], b: readonly number[], maxIter = 500): NnlsResult {
  const m = a.length;
  const n = m === 0 ? 0 : a[0]!.length;
  // Column scaling makes the gradient test and the ridge independent of the features' units.
  const scale = new Array<number>(n).fill(0);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += a[i]![j]! ** 2;
    scale[j] = s > 0 ? Math.sqrt(s) : 0;
  }
  const col = (i: number, j: number): number => (scale[j]! > 0 ? a[i]![j]! / scale[j]! : 0);

  const x = new Array<number>(n).fill(0);
  const passive = new Array<boolean>(n).fill(false);
  const bNorm = Math.sqrt(b.reduce((s, v) => s + v * v, 0));
  const tol = 1e-10 * Math.max(1, bNorm) * Math.max(1, m);

  const gradient = (): number[] => {
    const r = new Array<number>(m);
    for (let i = 0; i < m; i++) {
      let ax = 0;
      for (let j = 0; j < n; j++) ax += col(i, j) * x[j]!;
      r[i] = b[i]! - ax;
    }
    const w = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += col(i, j) * r[i]!;
      w[j] = s;
    }
    return w;
  };

  // Unconstrained least squares on the passive set; zeros elsewhere.
  const solvePassive = (): number[] => {
    const idx: number[] = [];
    for (let j = 0; j < n; j++) if (passive[j]) idx.push(j);
    const k = idx.length;
    const g: number[][] = [];
    const rhs = new Array<number>(k).fill(0);
    for (let p = 0; p < k; p++) {
      const row = new Array<number>(k).fill(0);
      for (let q = 0; q < k; q++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += col(i, idx[p]!) * col(i, idx[q]!);
        row[q] = s + (p === q ? 1e-12 : 0);
      }
      g.push(row);
      let s = 0;
      for (let i = 0; i < m; i++) s += col(i, idx[p]!) * b[i]!;
      rhs[p] = s;
    }
    const sol = solveSymmetric(g, rhs);
    const s = new Array<number>(n).fill(0);
    for (let p = 0; p < k; p++) s[idx[p]!] = sol[p]!;
    return s;
  };

  for (let iter = 0; iter < maxIter; iter++) {
    const w = gradient();
    let best = -1;
    let bestW = tol;
    for (let j = 0; j < n; j++) {
      if (!passive[j] && scale[j]! > 0 && w[j]! > bestW) {
        bestW = w[j]!;
        best = j;
      }
    }
    if (best < 0) break;
    passive[best] = true;
    for (let inner = 0; inner < maxIter; inner++) {
      const s = solvePassive();
      let alpha = Infinity;
      for (let j = 0; j < n; j++) {
        if (passive[j] && s[j]! <= 0) alpha = Math.min(alpha, x[j]! / (x[j]! - s[j]!));
      }
      if (alpha === Infinity) {
        for (let j = 0; j < n; j++) x[j] = s[j]!;
        break;
      }
      for (let j = 0; j < n; j++) {
        x[j] = x[j]! + alpha * (s[j]! - x[j]!);
        if (passive[j] && x[j]! <= 1e-15) {
          passive[j] = false;
          x[j] = 0;
        }
      }
    }
  }

  const out = x.map((v, j) => (scale[j]! > 0 ? Math.max(0, v) / scale[j]! : 0));
  let rss = 0;
  for (let i = 0; i < m; i++) {
    let ax = 0;
    for (let j = 0; j < n; j++) ax += a[i]![j]! * out[j]!;
    rss += (b[i]! - ax) ** 2;
  }
  return { x: out, residualSS: rss };
}
