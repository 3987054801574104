/**
 * Antenna layout: a dense core plus three arms 120° apart, like the VLA's Y (arm azimuths 5°, 125°,
 * 245°, stations at radii ∝ k^1.716 along each arm; Thompson, Moran & Swenson 2017, §5.7) with
 * LOFAR's compact core of stations within a few hundred metres. Positions are local East, North,
 * Up in metres, jittered deterministically from the seed.
 */
import { mulberry32, streamSeed } from './prng.js';

/** Core radius and arm length in metres: baselines up to ≈ 2.6 km, ≈ 1.2 kλ at 140 MHz. */
const CORE_RADIUS_M = 150;
const ARM_LENGTH_M = 1500;
const ARM_AZIMUTHS_DEG = [5, 125, 245];
/** VLA arm spacing exponent (Thompson, Moran & Swenson 2017, §5.7). */
const ARM_EXPONENT = 1.716;
/** PRNG stream of the layout (blocks use streams ≥ 0 … nBlocks; fixed streams are negative). */
const LAYOUT_STREAM = -1;

export interface Layout {
  nAntennas: number;
  /** East, North, Up per antenna, metres: [e0, n0, u0, e1, …]. */
  enu: Float64Array;
  nBaselines: number;
  /** Antenna indices of each baseline, p < q, in (0,1), (0,2), …, (1,2), … order. */
  ant1: Int32Array;
  ant2: Int32Array;
}

export function makeLayout(nAntennas: number, seed: number): Layout {
  const rng = mulberry32(streamSeed(seed, LAYOUT_STREAM));
  const enu = new Float64Array(nAntennas * 3);
  const nCore = Math.max(2, Math.round(nAntennas / 4));
  const perArm = Math.ceil((nAntennas - nCore) / 3);
  for (let a = 0; a < nAntennas; a++) {
    let e: number;
    let n: number;
    if (a < nCore) {
      // Uniform in a disc: r ∝ sqrt(uniform).
      const r = CORE_RADIUS_M * Math.sqrt(rng.uniform());
      const phi = 2 * Math.PI * rng.uniform();
      e = r * Math.cos(phi);
      n = r * Math.sin(phi);
    } else {
      const k = a - nCore;
      const arm = k % 3;
      const along = Math.floor(k / 3) + 1;
      const r = CORE_RADIUS_M + (ARM_LENGTH_M - CORE_RADIUS_M) * Math.pow(along / perArm, ARM_EXPONENT);
      const az = ((ARM_AZIMUTHS_DEG[arm] ?? 0) * Math.PI) / 180;
      const jitter = 0.03 * r;
      // Azimuth is measured from North through East.
      e = r * Math.sin(az) + jitter * rng.normal();
      n = r * Math.cos(az) + jitter * rng.normal();
    }
    enu[3 * a] = e;
    enu[3 * a + 1] = n;
    enu[3 * a + 2] = 2 * rng.normal();
  }
  const nBaselines = (nAntennas * (nAntennas - 1)) / 2;
  const ant1 = new Int32Array(nBaselines);
  const ant2 = new Int32Array(nBaselines);
  let b = 0;
  for (let p = 0; p < nAntennas; p++)
    for (let q = p + 1; q < nAntennas; q++) {
      ant1[b] = p;
      ant2[b] = q;
      b++;
    }
  return { nAntennas, enu, nBaselines, ant1, ant2 };
}
