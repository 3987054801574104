/**
 * The sky model of an averaged record, predicted the way its data were made: at every raw time
 * step and raw channel of each averaging cell, then averaged over the cell. Predicting at the
 * cell's mean uvw and frequency instead would miss time and bandwidth smearing (the fringe
 * rotates within a cell: up to ~0.1 % amplitude here, more for longer baselines or wider
 * sources), which a solver would absorb into the gains as a bias. The cost is one prediction per
 * raw sample (timestep × freqstep per averaged visibility): the calibrate stage's main work, as
 * predict is in DP3's gaincal.
 */
import { hourAngleAt, type Dataset } from './dataset.js';
import { predictBaseline } from './predict.js';
import type { RecordView } from './record.js';
import { baselineUvw } from './uvw.js';

export interface RecordModel {
  /** Model per (row, averaged channel), index row·nChannels + channel, Stokes I in Jy. */
  re: Float64Array;
  im: Float64Array;
}

/** `rec.firstTime` is its first averaged step; its raw steps are firstTime·timestep onwards. */
export function predictRecordModel(ds: Dataset, rec: RecordView): RecordModel {
  const { spec, layout, sky } = ds;
  const { timestep, freqstep } = spec;
  const nB = rec.nBaselines;
  const oC = rec.nChannels;
  const rawC = oC * freqstep;
  const re = new Float64Array(rec.nTimes * nB * oC);
  const im = new Float64Array(re.length);
  const uvw = new Float64Array(nB * 3);
  const rRe = new Float64Array(rawC);
  const rIm = new Float64Array(rawC);
  const f0 = spec.startFreqHz + 0.5 * spec.channelWidthHz;
  const scale = 1 / (timestep * freqstep);
  for (let t = 0; t < rec.nTimes; t++)
    for (let k = 0; k < timestep; k++) {
      const rawT = (rec.firstTime + t) * timestep + k;
      baselineUvw(ds.xyz, layout.ant1, layout.ant2, hourAngleAt(ds, rawT), ds.decRad, uvw, 0);
      for (let b = 0; b < nB; b++) {
        rRe.fill(0);
        rIm.fill(0);
        predictBaseline(
          sky,
          uvw[3 * b]!,
          uvw[3 * b + 1]!,
          uvw[3 * b + 2]!,
          f0,
          spec.channelWidthHz,
          rawC,
          rRe,
          rIm,
          0,
        );
        const o = (t * nB + b) * oC;
        for (let c = 0; c < rawC; c++) {
          const i = o + ((c / freqstep) | 0);
          re[i] = re[i]! + scale * rRe[c]!;
          im[i] = im[i]! + scale * rIm[c]!;
        }
      }
    }
  return { re, im };
}
