/**
 * The per-baseline sums a direction-independent gain solve needs. With V_pq = g_p M_pq conj(g_q)
 * + noise and the gains constant over a solution interval and the band, the weighted
 * least-squares cost Σ w |V − g_p M conj(g_q)|² depends on the data only through
 *   A_pq = Σ w conj(M_pq) V_pq   and   B_pq = Σ w |M_pq|²
 * (sums over the interval's times and channels), so the solver iterates over baselines, not
 * visibilities: one multiply-add per visibility, given the model (predict-cell.ts).
 */
import type { RecordModel } from './predict-cell.js';
import { N_CORR, type RecordView } from './record.js';

/** Correlation index of each solved polarisation: XX for X, YY for Y (the parallel hands). */
export const POL_CORR = [0, 3] as const;

export interface NormalSums {
  nBaselines: number;
  /** Index pol·nBaselines + baseline. */
  aRe: Float64Array;
  aIm: Float64Array;
  b: Float64Array;
  /** Visibilities (per polarisation) that entered the sums with weight > 0. */
  used: number;
}

export function normalSums(rec: RecordView, model: RecordModel): NormalSums {
  const { nTimes, nBaselines: nB, nChannels: nC, vis, weight } = rec;
  const aRe = new Float64Array(2 * nB);
  const aIm = new Float64Array(2 * nB);
  const bSum = new Float64Array(2 * nB);
  let used = 0;
  for (let t = 0; t < nTimes; t++)
    for (let b = 0; b < nB; b++) {
      const row = t * nB + b;
      for (let pol = 0; pol < 2; pol++) {
        const k = POL_CORR[pol]!;
        let ar = 0;
        let ai = 0;
        let bb = 0;
        for (let c = 0; c < nC; c++) {
          const s = (row * nC + c) * N_CORR + k;
          const w = weight[s]!;
          if (w <= 0) continue;
          const vr = vis[2 * s]!;
          const vi = vis[2 * s + 1]!;
          const mr = model.re[row * nC + c]!;
          const mi = model.im[row * nC + c]!;
          // conj(M)·V
          ar += w * (mr * vr + mi * vi);
          ai += w * (mr * vi - mi * vr);
          bb += w * (mr * mr + mi * mi);
          used++;
        }
        const i = pol * nB + b;
        aRe[i] = aRe[i]! + ar;
        aIm[i] = aIm[i]! + ai;
        bSum[i] = bSum[i]! + bb;
      }
    }
  return { nBaselines: nB, aRe, aIm, b: bSum, used: used / 2 };
}
