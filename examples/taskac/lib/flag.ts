/**
 * Outlier flagging in the spirit of AOFlagger's simplest pass: within each averaging cell (one
 * baseline, one correlation, `timestep` × `freqstep` samples — the unit the averager then
 * reduces), a sample whose amplitude exceeds `threshold` × the cell's median amplitude gets weight
 * 0. The median is robust to the bursts it looks for; on pure noise (Rayleigh amplitudes, median
 * σ·sqrt(2 ln 2)) a threshold of 5 flags a clean sample with probability exp(−17.3) ≈ 3e-8.
 * Cells never straddle records, so flags do not depend on how records are partitioned.
 */
import { N_CORR, type RecordView } from './record.js';

export const DEFAULT_FLAG_THRESHOLD = 5;

/** Flags outliers in place (sets their weight to 0); returns how many samples it flagged. */
export function flagOutliers(
  rec: RecordView,
  timestep: number,
  freqstep: number,
  threshold = DEFAULT_FLAG_THRESHOLD,
): number {
  const { nTimes, nBaselines: nB, nChannels: nC, vis, weight } = rec;
  if (nTimes % timestep !== 0 || nC % freqstep !== 0)
    throw new Error(`taskac: record of ${nTimes}×${nC} does not split into ${timestep}×${freqstep} cells`);
  const cellSize = timestep * freqstep;
  const amps = new Float64Array(cellSize);
  const sorted = new Float64Array(cellSize);
  const index = new Int32Array(cellSize);
  let flagged = 0;
  for (let t0 = 0; t0 < nTimes; t0 += timestep)
    for (let b = 0; b < nB; b++)
      for (let c0 = 0; c0 < nC; c0 += freqstep)
        for (let k = 0; k < N_CORR; k++) {
          let n = 0;
          for (let t = t0; t < t0 + timestep; t++)
            for (let c = c0; c < c0 + freqstep; c++) {
              const s = ((t * nB + b) * nC + c) * N_CORR + k;
              if (weight[s]! <= 0) continue;
              amps[n] = Math.hypot(vis[2 * s]!, vis[2 * s + 1]!);
              index[n] = s;
              n++;
            }
          if (n === 0) continue;
          sorted.set(amps.subarray(0, n));
          const view = sorted.subarray(0, n).sort();
          const median = n % 2 === 1 ? view[(n - 1) >> 1]! : 0.5 * (view[n / 2 - 1]! + view[n / 2]!);
          const limit = threshold * median;
          for (let i = 0; i < n; i++)
            if (amps[i]! > limit) {
              weight[index[i]!] = 0;
              flagged++;
            }
        }
  return flagged;
}
