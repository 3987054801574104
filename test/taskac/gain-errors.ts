/**
 * Gain errors normalised by their expected noise error. The expectation follows from the
 * noise level: an averaged visibility of weight w (raw samples averaged) has noise σ²/w per part,
 * so with the other gains known, the least-squares g_p of one solution interval has per-part
 * error variance σ² / D_p, D_p = Σ_{q≠p} |g_q|² Σ w |M_pq|² (sums over the interval's channels
 * and times). Its amplitude then errs by σ/√D_p and its phase by σ/(|g_p|√D_p); a phase referenced
 * to antenna 0 adds antenna 0's variance.
 */
import { gainIndex } from '../../examples/taskac/lib/gains.js';
import type { Dataset } from '../../examples/taskac/lib/dataset.js';
import type { NormalSums } from '../../examples/taskac/lib/normal-sums.js';

export interface GainErrors {
  /** (solved − true amplitude) / expected σ, per antenna. */
  amplitude: number[];
  /** wrapped (solved − true referenced phase) / expected σ, per antenna ≥ 1. */
  phase: number[];
}

export function normalisedGainErrors(
  ds: Dataset,
  sums: NormalSums,
  block: number,
  pol: number,
  solved: { re: ArrayLike<number>; im: ArrayLike<number> },
): GainErrors {
  const nA = ds.spec.nAntennas;
  const { ant1, ant2 } = ds.layout;
  const g = ds.gains;
  const amp = (a: number): number => {
    const i = gainIndex(nA, block, pol, a);
    return Math.hypot(g[i]!, g[i + 1]!);
  };
  const phase = (a: number): number => {
    const i = gainIndex(nA, block, pol, a);
    return Math.atan2(g[i + 1]!, g[i]!);
  };
  const d = new Float64Array(nA);
  for (let b = 0; b < ant1.length; b++) {
    const p = ant1[b]!;
    const q = ant2[b]!;
    const bb = sums.b[pol * sums.nBaselines + b]!;
    d[p] = d[p]! + amp(q) ** 2 * bb;
    d[q] = d[q]! + amp(p) ** 2 * bb;
  }
  const sigma = ds.noiseSigmaJy;
  const phaseVar = (a: number): number => sigma ** 2 / (amp(a) ** 2 * d[a]!);
  const amplitude: number[] = [];
  const phases: number[] = [];
  for (let a = 0; a < nA; a++) {
    const solvedAmp = Math.hypot(solved.re[a]!, solved.im[a]!);
    amplitude.push((solvedAmp - amp(a)) / (sigma / Math.sqrt(d[a]!)));
    if (a === 0) continue;
    const err = Math.atan2(solved.im[a]!, solved.re[a]!) - (phase(a) - phase(0));
    const wrapped = Math.atan2(Math.sin(err), Math.cos(err));
    phases.push(wrapped / Math.sqrt(phaseVar(a) + phaseVar(0)));
  }
  return { amplitude, phase: phases };
}
