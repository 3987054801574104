import { describe, expect, it } from 'vitest';
import { averageRecord } from '../../examples/taskac/lib/average.js';
import { flagOutliers } from '../../examples/taskac/lib/flag.js';
import { generateRecord, rfiHit } from '../../examples/taskac/lib/generate.js';
import { N_CORR, type RecordView } from '../../examples/taskac/lib/record.js';
import { testDataset } from './helpers.js';

/** A direct, obviously-correct reference: medians by full sort, flags, then plain means, in float64. */
function directFlagAndAverage(raw: RecordView, timestep: number, freqstep: number, threshold: number) {
  const { nTimes, nBaselines: nB, nChannels: nC, vis } = raw;
  const idx = (t: number, b: number, c: number, k: number): number => ((t * nB + b) * nC + c) * N_CORR + k;
  const oT = nTimes / timestep;
  const oC = nC / freqstep;
  const re = new Float64Array(oT * nB * oC * N_CORR);
  const im = new Float64Array(re.length);
  const wt = new Float64Array(re.length);
  for (let ot = 0; ot < oT; ot++)
    for (let b = 0; b < nB; b++)
      for (let oc = 0; oc < oC; oc++)
        for (let k = 0; k < N_CORR; k++) {
          const cell: number[] = [];
          for (let t = ot * timestep; t < (ot + 1) * timestep; t++)
            for (let c = oc * freqstep; c < (oc + 1) * freqstep; c++) cell.push(idx(t, b, c, k));
          const amps = cell.map((s) => Math.hypot(vis[2 * s]!, vis[2 * s + 1]!));
          const sorted = [...amps].sort((x, y) => x - y);
          const h = sorted.length / 2;
          const median = sorted.length % 2 ? sorted[Math.floor(h)]! : (sorted[h - 1]! + sorted[h]!) / 2;
          const kept = cell.filter((_, i) => amps[i]! <= threshold * median);
          const o = ((ot * nB + b) * oC + oc) * N_CORR + k;
          wt[o] = kept.length;
          re[o] = kept.reduce((s, x) => s + vis[2 * x]!, 0) / kept.length;
          im[o] = kept.reduce((s, x) => s + vis[2 * x + 1]!, 0) / kept.length;
        }
  return { re, im, wt };
}

describe('taskac rebin: flagging and averaging', () => {
  const ds = testDataset();
  const { timestep, freqstep } = ds.spec;

  it('averages equal a direct average of the unflagged samples (relative error ≤ 1e-6)', () => {
    for (const block of [0, 3]) {
      const raw = generateRecord(ds, block);
      const direct = directFlagAndAverage(raw, timestep, freqstep, 5);
      flagOutliers(raw, timestep, freqstep, 5);
      const avg = averageRecord(raw, timestep, freqstep);
      expect(avg.nTimes).toBe(raw.nTimes / timestep);
      expect(avg.nChannels).toBe(raw.nChannels / freqstep);
      let worst = 0;
      for (let s = 0; s < direct.wt.length; s++) {
        expect(avg.weight[s]).toBe(direct.wt[s]);
        const err = Math.hypot(avg.vis[2 * s]! - direct.re[s]!, avg.vis[2 * s + 1]! - direct.im[s]!);
        worst = Math.max(worst, err / Math.hypot(direct.re[s]!, direct.im[s]!));
      }
      expect(worst).toBeLessThanOrEqual(1e-6);
      // uvw of an averaged row: the mean of its rows.
      const nB = raw.nBaselines;
      for (const b of [0, nB - 1]) {
        let u = 0;
        for (let t = 0; t < timestep; t++) u += raw.uvw[3 * (t * nB + b)]!;
        expect(avg.uvw[3 * b]!).toBeCloseTo(u / timestep, 9);
      }
    }
  });

  it('flags every injected RFI burst and almost nothing else', () => {
    const { nBaselines: nB } = ds.layout;
    const nC = ds.spec.nChannels;
    let injected = 0;
    let caught = 0;
    let clean = 0;
    let falseFlags = 0;
    for (let block = 0; block < ds.nRecords; block++) {
      const raw = generateRecord(ds, block);
      flagOutliers(raw, timestep, freqstep);
      for (let t = 0; t < raw.nTimes; t++)
        for (let b = 0; b < nB; b++)
          for (let c = 0; c < nC; c++) {
            const hit = rfiHit(ds.spec.seed, ds.spec.rfiFraction, raw.firstTime + t, b, c);
            for (let k = 0; k < N_CORR; k++) {
              const flagged = raw.weight[((t * nB + b) * nC + c) * N_CORR + k] === 0;
              if (hit) {
                injected++;
                if (flagged) caught++;
              } else {
                clean++;
                if (flagged) falseFlags++;
              }
            }
          }
    }
    expect(injected).toBeGreaterThan(20);
    expect(caught).toBe(injected);
    expect(falseFlags / clean).toBeLessThan(1e-4);
  });
});
