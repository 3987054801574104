import { describe, expect, it } from 'vitest';
import { RightsizerError } from '../../src/core/errors.js';
import { ObjectiveSchema } from '../../src/core/types.js';
import { parseObjective } from '../../src/optimizer/index.js';

describe('parseObjective', () => {
  it.each([
    ['cost', null, { kind: 'cost', percentile: null }],
    ['latency', 95, { kind: 'latency', percentile: 95 }],
    ['balanced:0.5', null, { kind: 'balanced', weight: 0.5, percentile: null }],
    ['balanced', null, { kind: 'balanced', weight: 0.5, percentile: null }],
    ['balanced:1', '90', { kind: 'balanced', weight: 1, percentile: 90 }],
    ['deadline:60s', null, { kind: 'deadline', deadlineMs: 60_000, percentile: null }],
    ['deadline:1500ms', 99, { kind: 'deadline', deadlineMs: 1500, percentile: 99 }],
    ['deadline:2m', null, { kind: 'deadline', deadlineMs: 120_000, percentile: null }],
    ['budget:0.05', null, { kind: 'budget', budgetUSD: 0.05, percentile: null }],
    ['budget:$1.5', 50, { kind: 'budget', budgetUSD: 1.5, percentile: 50 }],
    [' Cost ', null, { kind: 'cost', percentile: null }],
  ] as const)('%s (percentile %s)', (text, p, expected) => {
    const o = parseObjective(text, p);
    expect(o).toEqual(expected);
    expect(ObjectiveSchema.safeParse(o).success).toBe(true);
  });

  it.each([
    '',
    'fast',
    'cost:1',
    'balanced:1.5',
    'balanced:-0.1',
    'balanced:x',
    'deadline',
    'deadline:',
    'deadline:soon',
    'deadline:0s',
    'budget:',
    'budget:free',
    'budget:0',
  ])('rejects "%s" naming --objective and the valid forms (exit 2)', (text) => {
    let error: unknown;
    try {
      parseObjective(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RightsizerError);
    const e = error as RightsizerError;
    expect(e.exitCode).toBe(2);
    expect(e.oneLine()).toContain('--objective');
    expect(e.oneLine()).toContain('deadline:60s');
    expect(e.oneLine()).toContain('balanced:0.5');
  });

  it.each([49, 100, 'p95', Number.NaN])('rejects percentile %s', (p) => {
    expect(() => parseObjective('cost', p)).toThrow(/--percentile/);
  });
});
