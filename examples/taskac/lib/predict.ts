/**
 * Model visibilities of a point-source sky on one baseline over equally spaced channels — the
 * measurement equation without direction-dependent effects (Thompson, Moran & Swenson 2017,
 * eq. 3.7, with the w-term):
 *   V(u, v, w, ν) = Σ_s S_s · exp(−2πi (u l_s + v m_s + w (n_s − 1)) ν / c)
 * with u, v, w in metres. The phase is linear in ν, so each source's phasor is stepped from
 * channel to channel by one complex multiplication instead of a sin/cos per channel.
 */
import type { Sky } from './sky.js';

export const SPEED_OF_LIGHT_M_S = 299_792_458;

/**
 * Adds the model of baseline (u, v, w) at channels ν0 + k·dν, k < nChannels, into re/im starting
 * at index `at` (one value per channel).
 */
export function predictBaseline(
  sky: Sky,
  u: number,
  v: number,
  w: number,
  freq0Hz: number,
  dFreqHz: number,
  nChannels: number,
  re: Float64Array,
  im: Float64Array,
  at: number,
): void {
  const k = (-2 * Math.PI) / SPEED_OF_LIGHT_M_S;
  for (let s = 0; s < sky.fluxJy.length; s++) {
    const delay = u * sky.l[s]! + v * sky.m[s]! + w * sky.nMinus1[s]!;
    const flux = sky.fluxJy[s]!;
    const phase0 = k * delay * freq0Hz;
    const dPhase = k * delay * dFreqHz;
    let pr = flux * Math.cos(phase0);
    let pi = flux * Math.sin(phase0);
    const sr = Math.cos(dPhase);
    const si = Math.sin(dPhase);
    for (let c = 0; c < nChannels; c++) {
      re[at + c]! += pr;
      im[at + c]! += pi;
      const t = pr * sr - pi * si;
      pi = pr * si + pi * sr;
      pr = t;
    }
  }
}
