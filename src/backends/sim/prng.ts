/**
 * A tiny seeded PRNG for the simulator: mulberry32 (Tommy Ettinger's 32-bit generator, public
 * domain; https://gist.github.com/tommyettinger/46a874533244883189143505d203312c), seeded from a
 * string key by cyrb53 (bryc, public domain; https://github.com/bryc/code/blob/master/jshash/experimental/cyrb53.js).
 * Seeding by key rather than by call order makes every run's draws independent of what was run
 * before it: the same (scenario, config, rep, seed) always gives the same sample.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
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

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  let spare: number | null = null;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = next();
    while (u <= 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { next, normal };
}

/** A generator seeded from a key: `rngFor('stage|2048|16|rep0', 7)`. */
export function rngFor(key: string, seed = 0): Rng {
  return mulberry32(hashKey(key, seed) % 4294967296);
}
