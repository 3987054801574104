/**
 * Corrects visibilities with solved gains: V_pq,xy ← V_pq,xy / (g_p,x conj(g_q,y)) for each of
 * the four correlations (x, y ∈ {X, Y}), and scales the weight by |g_p,x g_q,y|² so it stays the
 * inverse noise variance of the corrected value. In place.
 */
import { N_CORR, type RecordView } from './record.js';

/** Receptor of each correlation's first and second antenna: XX, XY, YX, YY. */
const CORR_POLS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];

/**
 * `re/im` hold gains as [pol X antennas…, pol Y antennas…] (length 2·nAntennas); every time of the
 * record uses them (the record is one solution interval).
 */
export function applyGains(
  rec: RecordView,
  ant1: Int32Array,
  ant2: Int32Array,
  nAntennas: number,
  re: Float64Array,
  im: Float64Array,
): void {
  const { nTimes, nBaselines: nB, nChannels: nC, vis, weight } = rec;
  const invRe = new Float64Array(N_CORR);
  const invIm = new Float64Array(N_CORR);
  const gain2 = new Float64Array(N_CORR);
  for (let b = 0; b < nB; b++) {
    const p = ant1[b]!;
    const q = ant2[b]!;
    for (let k = 0; k < N_CORR; k++) {
      const [x, y] = CORR_POLS[k]!;
      const pr = re[x * nAntennas + p]!;
      const pi = im[x * nAntennas + p]!;
      const qr = re[y * nAntennas + q]!;
      const qi = im[y * nAntennas + q]!;
      // G = g_p conj(g_q); 1/G = conj(G)/|G|².
      const gr = pr * qr + pi * qi;
      const gi = pi * qr - pr * qi;
      const g2 = gr * gr + gi * gi;
      invRe[k] = g2 > 0 ? gr / g2 : 0;
      invIm[k] = g2 > 0 ? -gi / g2 : 0;
      gain2[k] = g2;
    }
    for (let t = 0; t < nTimes; t++)
      for (let c = 0; c < nC; c++) {
        const s0 = ((t * nB + b) * nC + c) * N_CORR;
        for (let k = 0; k < N_CORR; k++) {
          const s = s0 + k;
          const vr = vis[2 * s]!;
          const vi = vis[2 * s + 1]!;
          const ir = invRe[k]!;
          const ii = invIm[k]!;
          vis[2 * s] = vr * ir - vi * ii;
          vis[2 * s + 1] = vr * ii + vi * ir;
          weight[s] = weight[s]! * gain2[k]!;
        }
      }
  }
}
