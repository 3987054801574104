import { describe, expect, it } from 'vitest';
import { count, formatInterval, formatProbability } from '../../src/report/format.js';

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

describe('formatInterval and count', () => {
  it("gives both ends in the upper end's unit", () => {
    expect(formatInterval([119_200, 144_000])).toBe('2.0 min – 2.4 min');
    expect(formatInterval([800, 1500])).toBe('0.80 s – 1.50 s');
    expect(formatInterval([25_500, 35_200])).toBe('25.5 s – 35.2 s');
    expect(formatInterval([300, 450])).toBe('300 ms – 450 ms');
    expect(formatInterval(null)).toBe('–');
  });

  it('says one thing in the singular', () => {
    expect(count(1, 'stage')).toBe('1 stage');
    expect(count(0, 'run')).toBe('0 runs');
    expect(count(1200, 'config')).toBe('1,200 configs');
  });
});
