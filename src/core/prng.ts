/**
 * The project's one seeded pseudo-random source, so every random choice is reproducible:
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain;
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c) for uniforms, Box–Muller
 * (z = √(−2 ln u₁)·cos 2πu₂, and its sin twin) for normals, and cyrb53 (bryc, public domain;
 * https://github.com/bryc/code/blob/master/jshash/experimental/cyrb53.js) to seed from a string key —
 * seeding by key rather than by call order makes a draw independent of what was drawn before it.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
}

/** Uniforms in [0, 1) from a 32-bit seed. */
export function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mulberry32(seed: number): Rng {
  const next = uniforms(seed);
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    // 1 − u lies in (0, 1]: the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return { next, normal };
}

/** A uniformly random permutation of 0…n−1 (Fisher–Yates) drawn from `next`. */
export function permutation(n: number, next: () => number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** `count` standard normal draws from `seed`. */
export function standardNormals(seed: number, count: number): Float64Array {
  const rng = mulberry32(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.normal();
  return out;
}

/** 53-bit hash of a string (cyrb53). */
export function hashKey(key: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A generator seeded from a key: `rngFor('stage|2048|16|rep0', 7)`. */
export function rngFor(key: string, seed = 0): Rng {
  return mulberry32(hashKey(key, seed) % 4294967296);
}
