/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix, and the solves built
 * on it (Golub & Van Loan, Matrix Computations, alg. 4.2.1, the Cholesky–Banachiewicz order):
 *   L_jj = √(A_jj − Σ_{k<j} L_jk²),  L_ij = (A_ij − Σ_{k<j} L_ik·L_jk) / L_jj  (i > j).
 * Returns null when a pivot is not positive (the matrix is not positive definite).
 */
export function cholesky(a: readonly (readonly number[])[]): number[][] | null {
  const n = a.length;
  const l: number[][] = [];
  for (let i = 0; i < n; i++) l.push(new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const lj = l[j]!;
    let d = a[j]![j]!;
    for (let k = 0; k < j; k++) d -= lj[k]! * lj[k]!;
    if (!(d > 0)) return null;
    const ljj = Math.sqrt(d);
    lj[j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const li = l[i]!;
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= li[k]! * lj[k]!;
      li[j] = s / ljj;
    }
  }
  return l;
}

/** Solves L·y = b (forward substitution). */
export function forwardSolve(l: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = l.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const li = l[i]!;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= li[k]! * y[k]!;
    y[i] = s / li[i]!;
  }
  return y;
}

/** Solves Lᵀ·x = y (back substitution). */
export function backSolve(l: readonly (readonly number[])[], y: readonly number[]): number[] {
  const n = l.length;
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

/**
 * Solves A·x = b for symmetric positive semi-definite A, adding jitter to the diagonal
 * (1e-10, 1e-8, … of its mean) until the factorisation succeeds.
 */
export function solveSymmetric(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = a.length;
  if (n === 0) return [];
  let trace = 0;
  for (let i = 0; i < n; i++) trace += Math.abs(a[i]![i]!);
  const meanDiag = trace / n || 1;
  for (let jitter = 0; jitter <= 1e-2; jitter = jitter === 0 ? 1e-10 : jitter * 100) {
    const aj = jitter === 0 ? a : a.map((row, i) => row.map((v, j) => (i === j ? v + jitter * meanDiag : v)));
    const l = cholesky(aj);
    if (l) return backSolve(l, forwardSolve(l, b));
  }
  return new Array<number>(n).fill(0);
}
