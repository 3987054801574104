/**
 * Time and frequency averaging (DP3's averager): each output sample is the weighted mean of the
 * `timestep` × `freqstep` input samples of its cell, V = Σ wᵢVᵢ / Σ wᵢ, with weight Σ wᵢ (so a
 * flagged sample, weight 0, drops out and a fully flagged cell is 0 with weight 0). An output
 * row's uvw is the mean of its input rows' uvw. Sums run in float64; outputs are float32 as in a
 * Measurement Set.
 */
import { allocRecord, N_CORR, type RecordView } from './record.js';

export function averageRecord(
  rec: RecordView,
  timestep: number,
  freqstep: number,
  outBlock = rec.block,
): RecordView {
  const { nTimes, nBaselines: nB, nChannels: nC } = rec;
  if (nTimes % timestep !== 0 || nC % freqstep !== 0)
    throw new Error(`taskac: record of ${nTimes}×${nC} does not split into ${timestep}×${freqstep} cells`);
  const oT = nTimes / timestep;
  const oC = nC / freqstep;
  const out = allocRecord({ nTimes: oT, nBaselines: nB, nChannels: oC }, outBlock, rec.firstTime / timestep);
  const acc = new Float64Array(oC * N_CORR * 3);
  for (let ot = 0; ot < oT; ot++)
    for (let b = 0; b < nB; b++) {
      acc.fill(0);
      let u = 0;
      let v = 0;
      let w = 0;
      for (let t = ot * timestep; t < (ot + 1) * timestep; t++) {
        const row = t * nB + b;
        u += rec.uvw[3 * row]!;
        v += rec.uvw[3 * row + 1]!;
        w += rec.uvw[3 * row + 2]!;
        for (let c = 0; c < nC; c++) {
          const a = ((c / freqstep) | 0) * N_CORR * 3;
          const s = (row * nC + c) * N_CORR;
          for (let k = 0; k < N_CORR; k++) {
            const wt = rec.weight[s + k]!;
            if (wt <= 0) continue;
            acc[a + 3 * k] = acc[a + 3 * k]! + wt * rec.vis[2 * (s + k)]!;
            acc[a + 3 * k + 1] = acc[a + 3 * k + 1]! + wt * rec.vis[2 * (s + k) + 1]!;
            acc[a + 3 * k + 2] = acc[a + 3 * k + 2]! + wt;
          }
        }
      }
      const orow = ot * nB + b;
      out.uvw[3 * orow] = u / timestep;
      out.uvw[3 * orow + 1] = v / timestep;
      out.uvw[3 * orow + 2] = w / timestep;
      for (let c = 0; c < oC; c++)
        for (let k = 0; k < N_CORR; k++) {
          const a = (c * N_CORR + k) * 3;
          const s = (orow * oC + c) * N_CORR + k;
          const sw = acc[a + 2]!;
          out.weight[s] = sw;
          if (sw > 0) {
            out.vis[2 * s] = acc[a]! / sw;
            out.vis[2 * s + 1] = acc[a + 1]! / sw;
          }
        }
    }
  return out;
}
