import { describe, expect, it } from 'vitest';
import { formatProbability } from '../../src/report/format.js';

describe('formatProbability', () => {
  it('rounds to whole percent but never to a certainty the probability is not', () => {
    expect(formatProbability(0.9974)).toBe('> 99 %');
    expect(formatProbability(0.003)).toBe('< 1 %');
    expect(formatProbability(1)).toBe('> 99 %');
    expect(formatProbability(0)).toBe('< 1 %');
    expect(formatProbability(0.904)).toBe('90 %');
    expect(formatProbability(0.994)).toBe('99 %');
  });
});
