/**
 * Calibrates one record (one solution interval): baseline sums against the sky model predicted
 * over each averaging cell (predict-cell.ts, normal-sums.ts), a StefCal solve of the X and Y receptor gains from the XX and YY parallel
 * hands (stefcal.ts), and the correction of all four correlations (apply-gains.ts), in place.
 */
import { applyGains } from './apply-gains.js';
import type { Dataset } from './dataset.js';
import { normalSums } from './normal-sums.js';
import { predictRecordModel } from './predict-cell.js';
import type { RecordView } from './record.js';
import { stefcal, type StefcalOptions } from './stefcal.js';

export interface IntervalSolution {
  block: number;
  /** Gains [X antennas…, Y antennas…], referenced to antenna 0 per polarisation. */
  re: Float64Array;
  im: Float64Array;
  iterations: [number, number];
  converged: boolean;
}

export function calibrateRecord(
  ds: Dataset,
  rec: RecordView,
  options: StefcalOptions = {},
): IntervalSolution {
  const { layout } = ds;
  const sums = normalSums(rec, predictRecordModel(ds, rec));
  const nA = layout.nAntennas;
  const re = new Float64Array(2 * nA);
  const im = new Float64Array(2 * nA);
  const iterations: [number, number] = [0, 0];
  let converged = true;
  for (let pol = 0; pol < 2; pol++) {
    const g = stefcal(
      nA,
      layout.ant1,
      layout.ant2,
      sums.aRe,
      sums.aIm,
      sums.b,
      pol * sums.nBaselines,
      options,
    );
    re.set(g.re, pol * nA);
    im.set(g.im, pol * nA);
    iterations[pol] = g.iterations;
    converged &&= g.converged;
  }
  applyGains(rec, layout.ant1, layout.ant2, nA, re, im);
  return { block: rec.block, re, im, iterations, converged };
}
