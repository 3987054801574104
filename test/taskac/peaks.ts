/** Image look-ups the TASKA-C tests share. */
import { SPEED_OF_LIGHT_M_S } from '../../examples/taskac/lib/predict.js';

/** The brightest pixel within `radius` pixels of (x, y). */
export function localPeak(
  img: Float32Array,
  size: number,
  x: number,
  y: number,
  radius = 4,
): { x: number; y: number } {
  let best = -Infinity;
  let at = { x: -1, y: -1 };
  for (let j = Math.round(y) - radius; j <= Math.round(y) + radius; j++)
    for (let i = Math.round(x) - radius; i <= Math.round(x) + radius; i++) {
      if (i < 0 || j < 0 || i >= size || j >= size) continue;
      const v = img[j * size + i]!;
      if (v > best) {
        best = v;
        at = { x: i, y: j };
      }
    }
  return at;
}

export function maxBaselineLambda(enu: Float64Array, freqHz: number): number {
  let best = 0;
  for (let a = 0; a < enu.length; a += 3)
    for (let b = a + 3; b < enu.length; b += 3)
      best = Math.max(
        best,
        Math.hypot(enu[a]! - enu[b]!, enu[a + 1]! - enu[b + 1]!, enu[a + 2]! - enu[b + 2]!),
      );
  return (best * freqHz) / SPEED_OF_LIGHT_M_S;
}
