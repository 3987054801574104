/**
 * A seeded pseudo-random source, so every Monte Carlo is reproducible: mulberry32 (a 32-bit
 * state, period 2³²) for uniforms, Box–Muller (z = √(−2 ln u₁)·cos 2πu₂, and its sin twin) for normals.
 */

/** Uniforms in (0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/** `count` standard normal draws from `seed`. */
export function standardNormals(seed: number, count: number): Float64Array {
  const next = mulberry32(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(next()));
    const theta = 2 * Math.PI * next();
    out[i] = r * Math.cos(theta);
    if (i + 1 < count) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}
