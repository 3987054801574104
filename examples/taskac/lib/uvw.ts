/**
 * Baseline coordinates (u, v, w) in metres as the Earth turns: local East-North-Up offsets are
 * rotated to the equatorial frame (X toward hour angle 0 on the equator, Y toward −6 h, Z toward
 * the pole), then projected on the source direction at hour angle H and declination δ —
 * Thompson, Moran & Swenson 2017, eqs. 4.1 and 4.15:
 *   X = −sin φ·N + cos φ·U,  Y = E,  Z = cos φ·N + sin φ·U
 *   u =  sin H·X + cos H·Y
 *   v = −sin δ cos H·X + sin δ sin H·Y + cos δ·Z
 *   w =  cos δ cos H·X − cos δ sin H·Y + sin δ·Z
 */

/** Sidereal rotation rate of the Earth, rad/s. */
export const EARTH_RATE_RAD_S = 7.292115e-5;

/** Equatorial XYZ of every antenna (metres), from ENU at latitude `latRad`. */
export function enuToXyz(enu: Float64Array, latRad: number): Float64Array {
  const n = enu.length / 3;
  const xyz = new Float64Array(enu.length);
  const sl = Math.sin(latRad);
  const cl = Math.cos(latRad);
  for (let a = 0; a < n; a++) {
    const e = enu[3 * a]!;
    const no = enu[3 * a + 1]!;
    const up = enu[3 * a + 2]!;
    xyz[3 * a] = -sl * no + cl * up;
    xyz[3 * a + 1] = e;
    xyz[3 * a + 2] = cl * no + sl * up;
  }
  return xyz;
}

/**
 * Writes u, v, w (metres) of every baseline at hour angle `hourAngleRad` into `out` from index
 * `at` (3 per baseline), baseline = antenna q − antenna p.
 */
export function baselineUvw(
  xyz: Float64Array,
  ant1: Int32Array,
  ant2: Int32Array,
  hourAngleRad: number,
  decRad: number,
  out: Float64Array,
  at: number,
): void {
  const sh = Math.sin(hourAngleRad);
  const ch = Math.cos(hourAngleRad);
  const sd = Math.sin(decRad);
  const cd = Math.cos(decRad);
  for (let b = 0; b < ant1.length; b++) {
    const p = ant1[b]!;
    const q = ant2[b]!;
    const x = xyz[3 * q]! - xyz[3 * p]!;
    const y = xyz[3 * q + 1]! - xyz[3 * p + 1]!;
    const z = xyz[3 * q + 2]! - xyz[3 * p + 2]!;
    const o = at + 3 * b;
    out[o] = sh * x + ch * y;
    out[o + 1] = -sd * ch * x + sd * sh * y + cd * z;
    out[o + 2] = cd * ch * x - cd * sh * y + sd * z;
  }
}
