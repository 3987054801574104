/**
 * A dirty imager, as WSClean's gridder without w-terms: convolutional gridding of Stokes I with a
 * Kaiser–Bessel kernel onto a grid padded ×2, an inverse 2-D FFT, division by the kernel's
 * transform, and a crop. Natural weighting: each visibility counts with its weight (inverse
 * noise variance), and the image is divided by the sum of weights, so a point source of S Jy at
 * the phase centre peaks at S Jy/beam.
 *
 * Pixel convention (FITS, east left, north up): image pixel (x, y), row y = 0 at the bottom, sees
 * l = (M/2 − x)·cell, m = (y − M/2)·cell.
 */
import { fft2d } from './fft.js';
import { gridCorrection, makeKernel, type Kernel } from './kaiser-bessel.js';
import { SPEED_OF_LIGHT_M_S } from './predict.js';
import { N_CORR, type RecordView } from './record.js';

const PADDING = 2;
const SUPPORT = 6;

export interface ImagerOptions {
  /** Output image side M, pixels (a power of two). */
  imageSize: number;
  cellRad: number;
}

export interface Imager {
  /** Grids a record's Stokes I at averaged channels freq0Hz + c·dFreqHz. Returns visibilities gridded. */
  add(rec: RecordView, freq0Hz: number, dFreqHz: number): number;
  /** The dirty image, M×M row-major, row 0 at the bottom, Jy/beam. */
  finish(): Float32Array;
}

export function lmToPixel(
  l: number,
  m: number,
  imageSize: number,
  cellRad: number,
): { x: number; y: number } {
  return { x: imageSize / 2 - l / cellRad, y: imageSize / 2 + m / cellRad };
}

/** A cell that samples the longest baseline's fringe 3 times (Nyquist would be 2). */
export function defaultCellRad(maxBaselineLambda: number): number {
  return 1 / (3 * maxBaselineLambda);
}

export function makeImager(options: ImagerOptions): Imager {
  const m = options.imageSize;
  const n = m * PADDING;
  const kernel: Kernel = makeKernel(SUPPORT, PADDING);
  const gRe = new Float64Array(n * n);
  const gIm = new Float64Array(n * n);
  // uv cell: 1 / (grid field of view).
  const du = 1 / (n * options.cellRad);
  const half = SUPPORT / 2;
  const wx = new Float64Array(SUPPORT + 1);
  const wy = new Float64Array(SUPPORT + 1);
  let weightSum = 0;

  /** Adds w·V with the kernel centred at grid coordinates (gu, gv) in cells. */
  const grid = (gu: number, gv: number, w: number, vr: number, vi: number): void => {
    const u0 = Math.ceil(gu - half);
    const v0 = Math.ceil(gv - half);
    const os = kernel.oversample;
    const mid = (SUPPORT * os) / 2;
    for (let k = 0; k <= SUPPORT; k++) {
      wx[k] = kernel.table[Math.round((u0 + k - gu) * os) + mid] ?? 0;
      wy[k] = kernel.table[Math.round((v0 + k - gv) * os) + mid] ?? 0;
    }
    for (let j = 0; j <= SUPPORT; j++) {
      const kyw = wy[j]! * w;
      if (kyw === 0) continue;
      const row = ((((v0 + j) % n) + n) % n) * n;
      for (let i = 0; i <= SUPPORT; i++) {
        const kw = wx[i]! * kyw;
        if (kw === 0) continue;
        const at = row + ((((u0 + i) % n) + n) % n);
        gRe[at] = gRe[at]! + kw * vr;
        gIm[at] = gIm[at]! + kw * vi;
      }
    }
  };

  const add = (rec: RecordView, freq0Hz: number, dFreqHz: number): number => {
    const { nTimes, nBaselines: nB, nChannels: nC, uvw, vis, weight } = rec;
    let count = 0;
    for (let row = 0; row < nTimes * nB; row++) {
      const um = uvw[3 * row]!;
      const vm = uvw[3 * row + 1]!;
      for (let c = 0; c < nC; c++) {
        const s = (row * nC + c) * N_CORR;
        const wxx = weight[s]!;
        const wyy = weight[s + 3]!;
        const w = (wxx > 0 ? wxx : 0) + (wyy > 0 ? wyy : 0);
        if (w <= 0) continue;
        // Stokes I from the parallel hands, each weighted by its own inverse variance.
        const ir = ((wxx > 0 ? wxx * vis[2 * s]! : 0) + (wyy > 0 ? wyy * vis[2 * (s + 3)]! : 0)) / w;
        const ii = ((wxx > 0 ? wxx * vis[2 * s + 1]! : 0) + (wyy > 0 ? wyy * vis[2 * (s + 3) + 1]! : 0)) / w;
        const scale = (freq0Hz + c * dFreqHz) / SPEED_OF_LIGHT_M_S / du;
        const gu = um * scale;
        const gv = vm * scale;
        // The visibility and its Hermitian conjugate V(−u, −v) = conj V(u, v): a real image.
        grid(gu, gv, w, ir, ii);
        grid(-gu, -gv, w, ir, -ii);
        weightSum += 2 * w;
        count++;
      }
    }
    return count;
  };

  const finish = (): Float32Array => {
    // I(l, m) = Σ w V e^{+2πi(ul + vm)}: the unnormalised inverse transform.
    fft2d(gRe, gIm, n, 1);
    const corr = gridCorrection(kernel, n);
    const out = new Float32Array(m * m);
    const norm = weightSum > 0 ? 1 / weightSum : 0;
    for (let y = 0; y < m; y++) {
      // Grid row index of m-offset (y − M/2), wrapped.
      const mj = y - m / 2;
      const gy = ((mj % n) + n) % n;
      const cy = corr[mj + n / 2]!;
      for (let x = 0; x < m; x++) {
        const li = m / 2 - x;
        const gx = ((li % n) + n) % n;
        const cx = corr[li + n / 2]!;
        out[y * m + x] = (gRe[gy * n + gx]! * norm) / (cx * cy);
      }
    }
    return out;
  };

  return { add, finish };
}
