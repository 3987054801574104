import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StageDef } from '../../src/core/types.js';
import {
  evaluateConfig,
  latencyStatistic,
  logSpacedIndices,
  paretoFront,
  stageFront,
  type StagePoint,
  type StageRisk,
} from '../../src/optimizer/index.js';
import { allowedSizes, allowedWorkers } from '../../src/platforms/index.js';
import { modelFrom, parametricModel, prediction } from './fake-model.js';
import { bruteFront, catalogPlatform, covered, smallPlatform } from './helpers.js';

const pointRisk: StageRisk = { percentile: null, latencyZ: 0, costZ: 0 };

/** Every config of the stage's space, predicted: the brute force the search is checked against. */
function everyConfig(input: Parameters<typeof stageFront>[0], risk: StageRisk): StagePoint[] {
  const out: StagePoint[] = [];
  for (const size of allowedSizes(input.platform, input.def.space))
    for (const workers of allowedWorkers(input.platform, input.def.space, input.def.maxWorkers)) {
      const p = evaluateConfig(input, risk, { workers, ...size });
      if (p) out.push(p);
    }
  return out;
}

const params = fc.record({
  serialMs: fc.double({ min: 10, max: 3000, noNaN: true }),
  workMs: fc.double({ min: 1000, max: 2e6, noNaN: true }),
  maxVcpu: fc.double({ min: 0.2, max: 6, noNaN: true }),
  stragglerMs: fc.double({ min: 0, max: 500, noNaN: true }),
  gcMs: fc.double({ min: 0, max: 20_000, noNaN: true }),
  gcScaleMB: fc.double({ min: 20, max: 2000, noNaN: true }),
  floorMB: fc.integer({ min: 100, max: 1500 }),
  logSd: fc.double({ min: 0, max: 0.5, noNaN: true }),
});

describe('stageFront: coarse to fine against brute force', () => {
  // The search front is pruned at ε/2 while searching and at ε at the end (uncapped here), so a
  // brute-force point is covered within (1 + ε/2)(1 + ε) when the search visited its neighbourhood.
  it('covers the brute-force front within 2ε on small spaces (fast-check)', () => {
    const platform = smallPlatform({ min: 128, max: 2048, step: 16 }, 40);
    fc.assert(
      fc.property(params, fc.constantFrom(0, 1), (p, z) => {
        const input = { platform, def: { name: 's' }, model: parametricModel(p), inputBytes: 1e9 };
        const risk = { percentile: null, latencyZ: z, costZ: z };
        const brute = paretoFront(everyConfig(input, risk));
        const eps = 0.005;
        const found = stageFront(input, {
          ...risk,
          epsilon: eps,
          search: 'coarse-to-fine',
          maxPoints: 100_000,
          coarseMemory: 8,
          coarseWorkers: 6,
        });
        expect(found.search).toBe('coarse-to-fine');
        expect(found.evaluated).toBeLessThan(found.spaceSize);
        for (const b of brute) expect(covered(found.front, b, 2 * eps)).toBe(true);
        // and nothing it returns is beaten by a brute-force point by more than 2ε on both values
        for (const f of found.front)
          expect(
            brute.some(
              (b) => b.latencyMs * (1 + 2 * eps) < f.latencyMs && b.costUSD * (1 + 2 * eps) < f.costUSD,
            ),
          ).toBe(false);
        // the extremes are exact
        expect(found.front[0]!.latencyMs).toBeCloseTo(
          brute.reduce((m, b) => Math.min(m, b.latencyMs), Infinity),
          9,
        );
      }),
      { numRuns: 100 },
    );
  });

  it('exact search equals the brute-force front with ε = 0', () => {
    const platform = smallPlatform({ min: 128, max: 1024, step: 64 }, 20);
    fc.assert(
      fc.property(params, (p) => {
        const input = { platform, def: { name: 's' }, model: parametricModel(p), inputBytes: 1e9 };
        const brute = bruteFront(everyConfig(input, pointRisk));
        const exact = stageFront(input, { ...pointRisk, epsilon: 0, search: 'exact', maxPoints: 10_000 });
        const key = (q: StagePoint): string => `${q.config.workers}/${q.config.memoryMB}`;
        const bruteKeys = new Set(brute.map((b) => `${b.latencyMs}/${b.costUSD}`));
        expect(exact.front.map((q) => `${q.latencyMs}/${q.costUSD}`).every((k) => bruteKeys.has(k))).toBe(
          true,
        );
        expect(new Set(exact.front.map((q) => `${q.latencyMs}/${q.costUSD}`)).size).toBe(bruteKeys.size);
        expect(exact.front.map(key).length).toBe(exact.front.length);
      }),
      { numRuns: 30 },
    );
  });

  it('finds an optimum at an odd memory size (3,009 MB) in the full AWS Lambda space', () => {
    const platform = catalogPlatform('aws-lambda-x86');
    // Latency is a bowl in memory around 3,009 MB at every worker count: the fastest config sits there.
    const model = modelFrom('bowl', (cfg) => {
      const t =
        (200 + 400_000 / cfg.workers) * (1 + ((cfg.memoryMB - 3009) / 2500) ** 2) +
        40 * Math.log1p(cfg.workers);
      return prediction(t, t);
    });
    const input = { platform, def: { name: 'bowl' }, model, inputBytes: 1e9 };
    const found = stageFront(input, { ...pointRisk, search: 'auto' });
    expect(found.search).toBe('coarse-to-fine');
    expect(found.spaceSize).toBe(10_113 * 1000);
    expect(found.evaluated).toBeLessThan(100_000);
    const fastest = found.front[0]!;
    expect(fastest.config.memoryMB).toBe(3009);
    // brute force over workers at 3,009 MB (the bowl's floor at every worker count)
    let best = { w: 0, t: Infinity };
    for (let w = 1; w <= 1000; w++) {
      const t = model.predict({ workers: w, memoryMB: 3009, vcpu: 3009 / 1769 }, 1e9).makespanMs;
      if (t < best.t) best = { w, t };
    }
    expect(fastest.config.workers).toBe(best.w);
  });

  it('finds the cheapest config right at a memory floor of 3,009 MB in the full AWS space', () => {
    const platform = catalogPlatform('aws-lambda-x86');
    // No speed-up past 1 vCPU, so the cheapest feasible config is the smallest feasible memory.
    const model = parametricModel({ floorMB: 3009, gcMs: 0, maxVcpu: 1, serialMs: 500, workMs: 60_000 });
    const found = stageFront({ platform, def: { name: 's' }, model, inputBytes: 1e9 }, pointRisk);
    const cheapest = found.front[found.front.length - 1]!;
    expect(cheapest.config).toEqual({ workers: 1, memoryMB: 3009, vcpu: 3009 / 1769 });
    expect(found.front.every((p) => p.config.memoryMB >= 3009)).toBe(true);
  });
});

describe('stageFront: constraints and coordinates', () => {
  const platform = smallPlatform({ min: 128, max: 1024, step: 128 }, 10);

  it('excludes infeasible configs and those whose makespan exceeds the timeout', () => {
    const model = modelFrom('s', (cfg) => {
      const t = 100_000 / cfg.workers;
      return prediction(t, t, { feasible: cfg.memoryMB >= 512 });
    });
    const def: StageDef = { name: 's', timeoutMs: 30_000 };
    const found = stageFront({ platform, def, model, inputBytes: 1 }, { ...pointRisk, epsilon: 0 });
    expect(found.front.length).toBeGreaterThan(0);
    for (const p of found.front) {
      expect(p.config.memoryMB).toBeGreaterThanOrEqual(512);
      expect(p.meanMs).toBeLessThanOrEqual(30_000);
    }
    const none = stageFront({ platform, def: { name: 's', timeoutMs: 1 }, model, inputBytes: 1 }, pointRisk);
    expect(none.front).toEqual([]);
  });

  it('keeps a config only if one run finishes within the timeout 9 times in 10', () => {
    // Mean makespan 100 s / workers, one run's ln-sd 0.3: the bound is mean·e^(1.28·0.3) ≈ 1.47×.
    const model = modelFrom('s', (cfg) => {
      const t = 100_000 / cfg.workers;
      return prediction(t, t, { makespanLogSd: 0.3 });
    });
    const def: StageDef = { name: 's', timeoutMs: 30_000 };
    const found = stageFront({ platform, def, model, inputBytes: 1 }, { ...pointRisk, epsilon: 0 });
    const fewest = Math.min(...found.front.map((p) => p.config.workers));
    // 4 workers average 25 s, under the timeout, but one run in four would pass 30 s.
    expect(fewest).toBe(5);
    for (const p of found.front) expect(p.meanMs * Math.exp(1.2816 * 0.3)).toBeLessThanOrEqual(30_000);
  });

  it('honours the stage space and maxWorkers', () => {
    const model = parametricModel();
    const def: StageDef = { name: 's', maxWorkers: 3, space: { memoryMB: [256, 768] } };
    const found = stageFront({ platform, def, model, inputBytes: 1 }, pointRisk);
    for (const p of found.front) {
      expect([256, 768]).toContain(p.config.memoryMB);
      expect(p.config.workers).toBeLessThanOrEqual(3);
    }
  });

  it('plans the percentile as the lognormal quantile and risk-adjusts by exp(z·meanLogSd)', () => {
    const model = modelFrom('s', () =>
      prediction(1000, 900, { makespanLogSd: 0.2, meanLogSd: 0.08, billedLogSd: 0.1 }),
    );
    const input = { platform, def: { name: 's' }, model, inputBytes: 1 };
    const cfg = { workers: 1, memoryMB: 128, vcpu: 128 / 1769 };
    const p95 = evaluateConfig(input, { percentile: 95, latencyZ: 0, costZ: 0 }, cfg)!;
    expect(p95.statMs).toBeCloseTo(Math.exp(Math.log(1000) - 0.02 + 1.6448536 * 0.2), 3);
    expect(p95.latencyMs).toBeCloseTo(p95.statMs, 9);
    const risky = evaluateConfig(input, { percentile: null, latencyZ: 1.5, costZ: 2 }, cfg)!;
    expect(risky.latencyMs).toBeCloseTo(1000 * Math.exp(1.5 * 0.08), 6);
    expect(risky.costUSD).toBeCloseTo(risky.meanCostUSD * Math.exp(2 * 0.1), 12);
    expect(latencyStatistic(1000, 0.2, 50)).toBeLessThan(1000);
  });

  it('logSpacedIndices spans the axis, sorted and unique', () => {
    const values = Array.from({ length: 10_113 }, (_, i) => 128 + i);
    const idx = logSpacedIndices(values, 48);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(10_112);
    expect(new Set(idx).size).toBe(idx.length);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });
});
