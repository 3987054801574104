/**
 * Iterative radix-2 Cooley–Tukey FFT on split real/imaginary Float64Arrays (Cooley & Tukey 1965;
 * the in-place decimation-in-time form of Press et al., Numerical Recipes, §12.2), with twiddles
 * and the bit-reversal permutation tabulated once per size. `sign` −1 is the forward transform
 * Σ x_k e^{−2πi jk/n}, +1 the unnormalised inverse.
 */

export interface FftPlan {
  n: number;
  /** Transforms re/im (length n) in place. */
  transform(re: Float64Array, im: Float64Array, sign: 1 | -1): void;
}

export function makeFft(n: number): FftPlan {
  if (n < 1 || (n & (n - 1)) !== 0) throw new Error(`fft: size ${n} is not a power of two`);
  const cos = new Float64Array(n >> 1);
  const sin = new Float64Array(n >> 1);
  for (let k = 0; k < n >> 1; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const rev = new Int32Array(n);
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  const transform = (re: Float64Array, im: Float64Array, sign: 1 | -1): void => {
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      for (let start = 0; start < n; start += size)
        for (let k = 0; k < half; k++) {
          const wr = cos[k * step]!;
          const wi = sign * sin[k * step]!;
          const a = start + k;
          const b = a + half;
          const xr = re[b]! * wr - im[b]! * wi;
          const xi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - xr;
          im[b] = im[a]! - xi;
          re[a] = re[a]! + xr;
          im[a] = im[a]! + xi;
        }
    }
  };
  return { n, transform };
}

/** 2-D FFT of an n×n row-major grid in place: every row, then every column. */
export function fft2d(re: Float64Array, im: Float64Array, n: number, sign: 1 | -1): void {
  const plan = makeFft(n);
  for (let r = 0; r < n; r++)
    plan.transform(re.subarray(r * n, (r + 1) * n), im.subarray(r * n, (r + 1) * n), sign);
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    for (let r = 0; r < n; r++) {
      cr[r] = re[r * n + c]!;
      ci[r] = im[r * n + c]!;
    }
    plan.transform(cr, ci, sign);
    for (let r = 0; r < n; r++) {
      re[r * n + c] = cr[r]!;
      im[r * n + c] = ci[r]!;
    }
  }
}
