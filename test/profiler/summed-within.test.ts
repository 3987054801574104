import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/prng.js';
import { summedWithin } from '../../src/profiler/confidence.js';

/** Draws of a stage whose incumbent is the best config or one 5 % dearer, each half the time. */
function stage(seed: number, n: number) {
  const rng = mulberry32(seed);
  const best = new Float64Array(n).fill(1);
  const incumbent = best.map(() => (rng.next() < 0.5 ? 1 : 1.05));
  return { incumbent, best };
}

describe('summedWithin', () => {
  it('judges the sum of the stages: within ε more often than every stage is', () => {
    const n = 4000;
    const stages = [stage(1, n), stage(2, n), stage(3, n)];
    const all = summedWithin(stages, 0.03)!;
    // Σ is within 3 % when at most one of the three stages is 5 % over: P = 1/8 + 3/8 = 0.5;
    // every stage within: 1/8.
    expect(all).toBeGreaterThan(0.46);
    expect(all).toBeLessThan(0.54);
    // A stage's own draws against themselves: exact.
    expect(summedWithin([stage(1, n)], 0.03)).toBeCloseTo(0.5, 1);
  });

  it('pairs stages drawn from the same normals as independent, not as one', () => {
    const n = 4000;
    const s = stage(7, n);
    // The same draws twice: Σ is within 3 % unless both are over — 3/4 when the two are read as
    // independent, 1/2 if paired index by index (the second would copy the first).
    expect(summedWithin([s, s], 0.03)!).toBeGreaterThan(0.7);
    expect(summedWithin([s, s], 0.03)!).toBeLessThan(0.8);
  });

  it('is null without every stage’s draws', () => {
    expect(summedWithin([stage(1, 10), undefined], 0.03)).toBeNull();
    expect(summedWithin([], 0.03)).toBeNull();
  });
});
