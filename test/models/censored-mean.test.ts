import { describe, expect, it } from 'vitest';
import { censoredMean } from '../../src/models/censored-mean.js';
import { mulberry32, normal } from './synthetic.js';

describe('censoredMean', () => {
  it('recovers a lognormal mean from runs cut off at a timeout', () => {
    const rng = mulberry32(11);
    const mu = Math.log(1000);
    const sigma = 0.15;
    const timeout = 1050;
    const ys = Array.from({ length: 4000 }, () => Math.exp(mu + sigma * normal(rng)));
    const finished = ys.filter((y) => y < timeout);
    const late = ys.length - finished.length;
    expect(late).toBeGreaterThan(1000);
    const truth = Math.exp(mu + (sigma * sigma) / 2);
    const naive = finished.reduce((a, b) => a + b, 0) / finished.length;
    expect(naive / truth).toBeLessThan(0.95);
    expect(Math.abs(censoredMean(finished, late, timeout, sigma) / truth - 1)).toBeLessThan(0.01);
  });
  it('puts one survivor of three above the timeout it beat by luck', () => {
    expect(censoredMean([787_000], 2, 900_000, 0.09)).toBeGreaterThan(900_000);
  });
  it('is the plain mean without timeouts, and the timeout with no survivor', () => {
    expect(censoredMean([10, 20], 0, 100, 0.1)).toBe(15);
    expect(censoredMean([], 3, 100, 0.1)).toBe(100);
  });
});
