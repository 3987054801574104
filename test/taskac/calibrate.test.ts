import { describe, expect, it } from 'vitest';
import { applyGains } from '../../examples/taskac/lib/apply-gains.js';
import { averageRecord } from '../../examples/taskac/lib/average.js';
import { calibrateRecord } from '../../examples/taskac/lib/calibrate-record.js';
import { flagOutliers } from '../../examples/taskac/lib/flag.js';
import { gainIndex } from '../../examples/taskac/lib/gains.js';
import { generateRecord } from '../../examples/taskac/lib/generate.js';
import { normalSums } from '../../examples/taskac/lib/normal-sums.js';
import { predictRecordModel } from '../../examples/taskac/lib/predict-cell.js';
import { allocRecord } from '../../examples/taskac/lib/record.js';
import { stefcal } from '../../examples/taskac/lib/stefcal.js';
import { normalisedGainErrors } from './gain-errors.js';
import { testDataset } from './helpers.js';

const rms = (x: number[]): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('taskac calibrate: StefCal gains', () => {
  const ds = testDataset();
  const { spec } = ds;
  const nA = spec.nAntennas;
  const averaged = Array.from({ length: ds.nRecords }, (_, b) => {
    const raw = generateRecord(ds, b);
    flagOutliers(raw, spec.timestep, spec.freqstep);
    return averageRecord(raw, spec.timestep, spec.freqstep);
  });

  it('recovers the injected gains (referenced to antenna 0) within 3× their expected noise error', () => {
    const all: number[] = [];
    for (const rec of averaged) {
      const sums = normalSums(rec, predictRecordModel(ds, rec));
      for (let pol = 0; pol < 2; pol++) {
        const g = stefcal(
          nA,
          ds.layout.ant1,
          ds.layout.ant2,
          sums.aRe,
          sums.aIm,
          sums.b,
          pol * sums.nBaselines,
        );
        expect(g.converged).toBe(true);
        expect(g.im[0]).toBe(0);
        const e = normalisedGainErrors(ds, sums, rec.block, pol, g);
        // Per solution: the errors' RMS over antennas, in units of their expected error.
        expect(rms(e.amplitude)).toBeLessThanOrEqual(3);
        expect(rms(e.phase)).toBeLessThanOrEqual(3);
        all.push(...e.amplitude, ...e.phase);
      }
    }
    // No single antenna beyond 4.5σ (376 draws: a 3σ excursion or two is chance, 4.5σ is not) …
    expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(4.5);
    // … and the errors are noise-sized: neither biased (RMS ≫ 1) nor suspiciously small.
    expect(rms(all)).toBeGreaterThan(0.7);
    expect(rms(all)).toBeLessThan(1.3);
  });

  it('solves noiseless data exactly, from any starting phase', () => {
    const clean = generateRecord({ ...ds, noiseSigmaJy: 0, spec: { ...spec, rfiFraction: 0 } }, 2);
    const rec = averageRecord(clean, spec.timestep, spec.freqstep);
    const sol = calibrateRecord(ds, rec);
    expect(sol.converged).toBe(true);
    for (let pol = 0; pol < 2; pol++) {
      const i0 = gainIndex(nA, 2, pol, 0);
      const ref = Math.atan2(ds.gains[i0 + 1]!, ds.gains[i0]!);
      for (let a = 0; a < nA; a++) {
        const i = gainIndex(nA, 2, pol, a);
        const amp = Math.hypot(ds.gains[i]!, ds.gains[i + 1]!);
        const ph = Math.atan2(ds.gains[i + 1]!, ds.gains[i]!) - ref;
        // Exact up to float32 storage: the model is averaged over each cell as the data were.
        expect(Math.abs(Math.hypot(sol.re[pol * nA + a]!, sol.im[pol * nA + a]!) - amp)).toBeLessThan(1e-5);
        const d = Math.atan2(sol.im[pol * nA + a]!, sol.re[pol * nA + a]!) - ph;
        expect(Math.abs(Math.atan2(Math.sin(d), Math.cos(d)))).toBeLessThan(1e-5);
      }
    }
    // Corrected parallel hands equal the model; the weights scale by |g_p g_q|².
    const sums = normalSums(rec, predictRecordModel(ds, rec));
    let misfit = 0;
    let power = 0;
    for (let b = 0; b < ds.layout.nBaselines; b++) {
      // After correction V ≈ M, so A = Σ w conj(M)V ≈ B = Σ w|M|².
      misfit += Math.hypot(sums.aRe[b]! - sums.b[b]!, sums.aIm[b]!);
      power += sums.b[b]!;
    }
    expect(misfit / power).toBeLessThan(1e-5);
  });

  it('applies gains: dividing by g_p conj(g_q) undoes multiplying by it', () => {
    const rec = averaged[1]!;
    const copy = allocRecord(rec, rec.block, rec.firstTime);
    copy.vis.set(rec.vis);
    copy.weight.set(rec.weight);
    const re = Float64Array.from({ length: 2 * nA }, (_, i) => 0.5 + (i % 7) * 0.1);
    const im = Float64Array.from({ length: 2 * nA }, (_, i) => ((i % 5) - 2) * 0.2);
    applyGains(copy, ds.layout.ant1, ds.layout.ant2, nA, re, im);
    // Multiply back by G = g_p conj(g_q) for XY (X of p, Y of q) on one sample.
    const b = 5;
    const p = ds.layout.ant1[b]!;
    const q = ds.layout.ant2[b]!;
    const s = (b * rec.nChannels + 2) * 4 + 1;
    const gr = re[p]! * re[nA + q]! + im[p]! * im[nA + q]!;
    const gi = im[p]! * re[nA + q]! - re[p]! * im[nA + q]!;
    const vr = copy.vis[2 * s]! * gr - copy.vis[2 * s + 1]! * gi;
    const vi = copy.vis[2 * s]! * gi + copy.vis[2 * s + 1]! * gr;
    expect(vr).toBeCloseTo(rec.vis[2 * s]!, 4);
    expect(vi).toBeCloseTo(rec.vis[2 * s + 1]!, 4);
    expect(copy.weight[s]! / rec.weight[s]!).toBeCloseTo(gr * gr + gi * gi, 4);
  });
});
