/**
 * The injected per-antenna complex gains of the X and Y receptors: constant within a solution
 * interval (so a solver can recover them exactly up to noise) and slowly varying between
 * intervals — amplitude 1 ± 10 % per antenna with a ±3 % drift, phase a random offset plus a
 * ±0.5 rad drift with periods of 20–60 minutes, like the ionosphere and electronics at LOFAR's
 * frequencies.
 *
 * Table layout: Float64Array, index ((interval·2 + pol)·nAntennas + antenna)·2 + {0: re, 1: im},
 * pol 0 = X, 1 = Y.
 */
import { mulberry32, streamSeed } from './prng.js';

const GAINS_STREAM = -2;

export function gainIndex(nAntennas: number, interval: number, pol: number, antenna: number): number {
  return ((interval * 2 + pol) * nAntennas + antenna) * 2;
}

export function makeGains(
  nAntennas: number,
  nIntervals: number,
  intervalS: number,
  seed: number,
): Float64Array {
  const rng = mulberry32(streamSeed(seed, GAINS_STREAM));
  const table = new Float64Array(nIntervals * 2 * nAntennas * 2);
  for (let pol = 0; pol < 2; pol++)
    for (let a = 0; a < nAntennas; a++) {
      const amp0 = 1 + 0.1 * rng.normal();
      const ampPeriodS = 1200 + 2400 * rng.uniform();
      const ampPhase = 2 * Math.PI * rng.uniform();
      const phase0 = Math.PI * (2 * rng.uniform() - 1);
      const phasePeriodS = 1200 + 2400 * rng.uniform();
      const phasePhase = 2 * Math.PI * rng.uniform();
      for (let k = 0; k < nIntervals; k++) {
        const t = (k + 0.5) * intervalS;
        const amp = amp0 * (1 + 0.03 * Math.sin((2 * Math.PI * t) / ampPeriodS + ampPhase));
        const phase = phase0 + 0.5 * Math.sin((2 * Math.PI * t) / phasePeriodS + phasePhase);
        const i = gainIndex(nAntennas, k, pol, a);
        table[i] = amp * Math.cos(phase);
        table[i + 1] = amp * Math.sin(phase);
      }
    }
  return table;
}
