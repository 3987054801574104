/**
 * The Kaiser–Bessel gridding kernel and its grid correction (Jackson et al. 1991, IEEE TMI 10,
 * 473; β for a grid oversampled by α from Beatty, Nishimura & Pauly 2005, IEEE TMI 24, 799,
 * eq. 5: β = π·sqrt((W/α)²(α − ½)² − 0.8)):
 *   C(x) = I0(β·sqrt(1 − (2x/W)²)) for |x| ≤ W/2 (x in grid cells), 0 outside.
 * Tabulated at `oversample` points per cell. The correction c(n) is the kernel's Fourier
 * transform at image pixel n of an N-point grid, c(n) = ∫ C(x) e^{2πi x n/N} dx, computed from
 * the same table, so dividing the image by it undoes the convolution's taper exactly as gridded.
 */

export interface Kernel {
  support: number;
  oversample: number;
  /** C at x = (i − half·oversample)/oversample, i = 0 … support·oversample, normalised to ∫C = 1. */
  table: Float64Array;
}

/** Modified Bessel function of the first kind, order 0, by its power series. */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200 && term > 1e-17 * sum; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

export function makeKernel(support: number, gridOversampling: number, oversample = 256): Kernel {
  const a = gridOversampling;
  const beta = Math.PI * Math.sqrt(Math.max(0, (support / a) ** 2 * (a - 0.5) ** 2 - 0.8));
  const n = support * oversample + 1;
  const table = new Float64Array(n);
  let integral = 0;
  for (let i = 0; i < n; i++) {
    const x = (i - (support * oversample) / 2) / oversample;
    const r = (2 * x) / support;
    table[i] = r * r <= 1 ? besselI0(beta * Math.sqrt(1 - r * r)) : 0;
    integral += table[i]! / oversample;
  }
  for (let i = 0; i < n; i++) table[i] = table[i]! / integral;
  return { support, oversample, table };
}

/** c(n) for n = −N/2 … N/2 − 1, returned at index n + N/2. */
export function gridCorrection(kernel: Kernel, gridSize: number): Float64Array {
  const { table, oversample, support } = kernel;
  const out = new Float64Array(gridSize);
  const half = (support * oversample) / 2;
  for (let j = 0; j < gridSize; j++) {
    const n = j - gridSize / 2;
    let s = 0;
    for (let i = 0; i < table.length; i++)
      s += table[i]! * Math.cos((2 * Math.PI * ((i - half) / oversample) * n) / gridSize);
    out[j] = s / oversample;
  }
  return out;
}
