/**
 * The sky: unpolarised point sources (l, m direction cosines from the phase centre, flux in Jy),
 * drawn from the seed within `radiusRad`, at least `minSeparationRad` apart so each has its own
 * peak in the dirty image, fluxes log-uniform in [1.5, 8] Jy (a few bright 3C-like sources).
 */
import { mulberry32, streamSeed } from './prng.js';

const SKY_STREAM = -3;
const FLUX_MIN_JY = 1.5;
const FLUX_MAX_JY = 8;

export interface Sky {
  l: Float64Array;
  m: Float64Array;
  /** n − 1 = sqrt(1 − l² − m²) − 1, the w-term's direction factor. */
  nMinus1: Float64Array;
  fluxJy: Float64Array;
}

export function makeSky(nSources: number, radiusRad: number, seed: number): Sky {
  const rng = mulberry32(streamSeed(seed, SKY_STREAM));
  const minSep = (2.2 * radiusRad) / Math.sqrt(nSources + 1);
  const l: number[] = [];
  const m: number[] = [];
  for (let tries = 0; l.length < nSources; tries++) {
    if (tries > 100_000) throw new Error(`taskac: cannot place ${nSources} separated sources`);
    const r = radiusRad * Math.sqrt(rng.uniform());
    const phi = 2 * Math.PI * rng.uniform();
    const x = r * Math.cos(phi);
    const y = r * Math.sin(phi);
    // Relax the spacing slowly if the disc is crowded.
    const sep = minSep * Math.pow(0.999, tries / 100);
    if (l.some((li, i) => Math.hypot(li - x, m[i]! - y) < sep)) continue;
    l.push(x);
    m.push(y);
  }
  const flux = l.map(() => FLUX_MIN_JY * Math.pow(FLUX_MAX_JY / FLUX_MIN_JY, rng.uniform()));
  return skyFrom(l, m, flux);
}

export function skyFrom(l: readonly number[], m: readonly number[], fluxJy: readonly number[]): Sky {
  return {
    l: Float64Array.from(l),
    m: Float64Array.from(m),
    nMinus1: Float64Array.from(l, (li, i) => Math.sqrt(1 - li * li - m[i]! * m[i]!) - 1),
    fluxJy: Float64Array.from(fluxJy),
  };
}
