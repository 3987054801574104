import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../src/core/normal.js';
import type { Objective, ResolvedConfig } from '../../src/core/types.js';
import { stageConfidence } from '../../src/profiler/confidence.js';
import { catalogPlatform } from '../optimizer/helpers.js';
import { modelFrom, prediction } from '../optimizer/fake-model.js';

const platform = catalogPlatform('aws-lambda-x86');
const SD = 0.05;
// Two configs far apart (1 worker against 1,000: ln 1000 ≈ 6.9, ten correlation lengths), doing
// the same work; the single worker's total billed time 5 % under the fan-out's.
const one: ResolvedConfig = { workers: 1, memoryMB: 1769, vcpu: 1 };
const many: ResolvedConfig = { workers: 1000, memoryMB: 1769, vcpu: 1 };
const model = modelFrom('s', (cfg) => {
  const billed = cfg.workers === 1 ? 0.95 * 400_000 : 400;
  return prediction(billed, billed, { meanLogSd: SD, billedLogSd: SD });
});

function confidence(objective: Objective) {
  return stageConfidence({
    platform,
    def: { name: 's' },
    model,
    inputBytes: 1e9,
    objective,
    incumbent: one,
    candidates: [many],
    samples: [],
    epsilon: 0.03,
    seed: 11,
  });
}

/** P(ln C_one − ln C_many ≤ ln(1 + ε)) when their errors, 1.35 × SD each, correlate ρ. */
function expected(delta: number, rho: number): number {
  return normalCdf((Math.log(1.03) - delta) / (1.35 * SD * Math.sqrt(2 * (1 - rho))));
}

describe('stageConfidence', () => {
  it('lets far configs of a cost err partly alike: the shared part cannot change which is cheaper', () => {
    const r = confidence({ kind: 'cost', percentile: null });
    const delta = Math.log(r.runCostUSD[0]! / r.runCostUSD[1]!);
    expect(delta).toBeLessThan(-0.03);
    // With half the error shared, P ≈ 0.93; read as independent it would be ≈ 0.86.
    expect(Math.abs(r.probability - expected(delta, 0.5))).toBeLessThan(0.03);
  });

  it('keeps a deadline’s errors local: a shared level would move every config’s feasibility at once', () => {
    // A deadline both meet by far: the objective is their cost, judged as independent far apart.
    const r = confidence({ kind: 'deadline', deadlineMs: 1e7, percentile: null });
    const delta = Math.log(r.runCostUSD[0]! / r.runCostUSD[1]!);
    expect(r.feasible).toEqual([1, 1]);
    expect(Math.abs(r.probability - expected(delta, 0))).toBeLessThan(0.03);
  });
});
