/**
 * Generates one raw record (a solution interval of raw time steps, every baseline) of the
 * synthetic observation:
 *   XX_pq = g_pX · M_pq · conj(g_qX) + n,   YY_pq = g_pY · M_pq · conj(g_qY) + n,   XY = YX = n
 * M the point-source sky (predict.ts, unpolarised: XX and YY both see Stokes I), g the injected
 * gains of the record's interval, n complex Gaussian thermal noise of σ per part, plus RFI bursts
 * on a few (time, baseline, channel) samples. Each record draws from its own PRNG stream, so
 * records can be generated alone and in any order.
 */
import { hourAngleAt, type Dataset } from './dataset.js';
import { gainIndex } from './gains.js';
import { predictBaseline } from './predict.js';
import { mulberry32, streamSeed } from './prng.js';
import { allocRecord, N_CORR, type RecordView } from './record.js';
import { stepsPerRecord } from './spec.js';
import { baselineUvw } from './uvw.js';

/** An RFI burst is this many σ (plus up to as much again): far above any sky signal here. */
const RFI_SIGMAS = 25;

/** Whether RFI hits raw sample (time t, baseline b, channel c): a hash, so tests can ask too. */
export function rfiHit(seed: number, fraction: number, t: number, b: number, c: number): boolean {
  if (fraction <= 0) return false;
  const h = streamSeed(streamSeed(seed ^ 0x5f3759df, t), b * 65_537 + c);
  return h / 4294967296 < fraction;
}

export function generateRecord(ds: Dataset, block: number): RecordView {
  const { spec, layout, sky } = ds;
  const nT = stepsPerRecord(spec);
  const nB = layout.nBaselines;
  const nC = spec.nChannels;
  const nA = spec.nAntennas;
  const firstTime = block * nT;
  const rec = allocRecord({ nTimes: nT, nBaselines: nB, nChannels: nC }, block, firstTime);
  const rng = mulberry32(streamSeed(spec.seed, block));
  const sigma = ds.noiseSigmaJy;
  const mRe = new Float64Array(nC);
  const mIm = new Float64Array(nC);
  const f0 = spec.startFreqHz + 0.5 * spec.channelWidthHz;
  const g = ds.gains;
  rec.weight.fill(1);
  for (let t = 0; t < nT; t++) {
    baselineUvw(
      ds.xyz,
      layout.ant1,
      layout.ant2,
      hourAngleAt(ds, firstTime + t),
      ds.decRad,
      rec.uvw,
      t * nB * 3,
    );
    for (let b = 0; b < nB; b++) {
      const row = t * nB + b;
      mRe.fill(0);
      mIm.fill(0);
      predictBaseline(
        sky,
        rec.uvw[3 * row]!,
        rec.uvw[3 * row + 1]!,
        rec.uvw[3 * row + 2]!,
        f0,
        spec.channelWidthHz,
        nC,
        mRe,
        mIm,
        0,
      );
      const p = layout.ant1[b]!;
      const q = layout.ant2[b]!;
      // g_p · conj(g_q) per polarisation, constant over the record's interval and the band.
      const xp = gainIndex(nA, block, 0, p);
      const xq = gainIndex(nA, block, 0, q);
      const yp = gainIndex(nA, block, 1, p);
      const yq = gainIndex(nA, block, 1, q);
      const gxr = g[xp]! * g[xq]! + g[xp + 1]! * g[xq + 1]!;
      const gxi = g[xp + 1]! * g[xq]! - g[xp]! * g[xq + 1]!;
      const gyr = g[yp]! * g[yq]! + g[yp + 1]! * g[yq + 1]!;
      const gyi = g[yp + 1]! * g[yq]! - g[yp]! * g[yq + 1]!;
      for (let c = 0; c < nC; c++) {
        const o = (row * nC + c) * N_CORR * 2;
        const mr = mRe[c]!;
        const mi = mIm[c]!;
        const v = rec.vis;
        v[o] = gxr * mr - gxi * mi + sigma * rng.normal();
        v[o + 1] = gxr * mi + gxi * mr + sigma * rng.normal();
        v[o + 2] = sigma * rng.normal();
        v[o + 3] = sigma * rng.normal();
        v[o + 4] = sigma * rng.normal();
        v[o + 5] = sigma * rng.normal();
        v[o + 6] = gyr * mr - gyi * mi + sigma * rng.normal();
        v[o + 7] = gyr * mi + gyi * mr + sigma * rng.normal();
        if (rfiHit(spec.seed, spec.rfiFraction, firstTime + t, b, c)) {
          const amp = RFI_SIGMAS * sigma * (1 + rng.uniform());
          const phase = 2 * Math.PI * rng.uniform();
          for (let k = 0; k < N_CORR; k++) {
            v[o + 2 * k] = v[o + 2 * k]! + amp * Math.cos(phase);
            v[o + 2 * k + 1] = v[o + 2 * k + 1]! + amp * Math.sin(phase);
          }
        }
      }
    }
  }
  return rec;
}
