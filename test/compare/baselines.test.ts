import { describe, expect, it } from 'vitest';
import { bestProfiled, flexecutorDefault, lithopsDefault } from '../../src/compare/baselines.js';
import { scoreRows, verdict } from '../../src/compare/score.js';
import { differs, executionsOf, spreadOf, tQuantile975 } from '../../src/compare/spread.js';
import { buildDag } from '../../src/core/dag.js';
import type { Sample } from '../../src/core/types.js';
import { PlatformRegistry } from '../../src/platforms/index.js';
import type { LoadedWorkflow } from '../../src/store/index.js';

const platform = new PlatformRegistry().get('aws-lambda-x86');
const stages = [
  { name: 'a', maxWorkers: 4 },
  { name: 'b', dependsOn: ['a'] },
  { name: 'c', dependsOn: ['b'], maxWorkers: 1 },
];
const workflow = {
  name: 'w',
  platform: platform.id,
  backend: 'local',
  stages,
  dag: buildDag(stages.map((s) => ({ name: s.name, dependsOn: s.dependsOn ?? [] }))),
} as unknown as LoadedWorkflow;

function sample(
  stage: string,
  workers: number,
  memoryMB: number,
  makespanMs: number,
  costUSD: number,
  runId: string,
): Sample {
  return {
    schema: 'rightsizer.sample/v1',
    runId,
    workflow: 'w',
    stage,
    config: { workers, memoryMB, vcpu: memoryMB / 1769 },
    rep: 0,
    status: 'ok',
    makespanMs,
    workers: [],
    costUSD,
  } as Sample;
}

describe('baselines', () => {
  it('flexecutor: one 2048 MB worker per stage; Lithops: 256 MB, one worker per input object, capped', () => {
    expect(Object.values(flexecutorDefault(workflow, platform)).map((c) => [c.workers, c.memoryMB])).toEqual([
      [1, 2048],
      [1, 2048],
      [1, 2048],
    ]);
    const l = lithopsDefault(workflow, platform, new Map([['a', 8]]));
    expect([l.a!.workers, l.b!.workers, l.c!.workers]).toEqual([4, 4, 1]);
    expect(l.a!.memoryMB).toBe(256);
  });

  it('best profiled: the profile run config with the best mean measured objective, ignoring run-plan runs', () => {
    const s = [
      sample('a', 1, 512, 1000, 3, 'p-1'),
      sample('a', 1, 512, 1000, 1, 'p-2'),
      sample('a', 2, 256, 900, 2.5, 'p-3'),
      sample('a', 4, 128, 100, 0.1, 'r-x-0-a'),
    ];
    const share = () => ({ latencyMs: 950, costUSD: 10 });
    expect(bestProfiled(s, workflow, { kind: 'cost', percentile: null }, share).a).toMatchObject({
      workers: 1,
      memoryMB: 512,
    });
    expect(bestProfiled(s, workflow, { kind: 'latency', percentile: null }, share).a).toMatchObject({
      workers: 2,
    });
    expect(
      bestProfiled(s, workflow, { kind: 'deadline', deadlineMs: 950, percentile: null }, share).a,
    ).toMatchObject({ workers: 2 });
    expect(bestProfiled(s, workflow, { kind: 'cost', percentile: null }, share).b).toBeNull();
  });
});

describe('spread and score', () => {
  it('an execution is the longest path of its stages and the sum of their costs; a failed stage fails it', () => {
    const s = [
      sample('a', 1, 512, 100, 1, 'r-e-0-a'),
      sample('b', 1, 512, 200, 2, 'r-e-0-b'),
      sample('c', 1, 512, 300, 3, 'r-e-0-c'),
      { ...sample('a', 1, 512, 100, 1, 'r-f-0-a'), status: 'oom' } as Sample,
    ];
    const { ok, failed } = executionsOf(s, workflow.dag, (x) => x.runId!.slice(0, -(x.stage.length + 1)));
    expect(ok).toEqual([{ latencyMs: 600, costUSD: 6 }]);
    expect(failed).toBe(1);
    expect(spreadOf([1, 2, 3])).toEqual({ mean: 2, min: 1, max: 3, sd: 1, n: 3 });
  });

  it('balanced scores normalise by the measured minima and are scored per execution', () => {
    const row = (c: number[], l: number[]) => ({
      executions: c.map((costUSD, i) => ({ costUSD, latencyMs: l[i]! })),
      costUSD: spreadOf(c),
      latencyMs: spreadOf(l),
    });
    const [p, x] = scoreRows({ kind: 'balanced', weight: 0.5, percentile: null }, [
      row([1, 1], [2, 2]),
      row([2, 2], [1, 1]),
    ]);
    expect(p!.mean).toBeCloseTo(1.5);
    expect(x!.mean).toBeCloseTo(1.5);
    expect(verdict(p!, x!)).toBe('within');
    // Cost and time that trade off run by run: the score's spread is the runs', not min+min … max+max.
    const [q] = scoreRows({ kind: 'balanced', weight: 0.5, percentile: null }, [row([1, 2], [2, 1])]);
    expect(q!.min).toBeCloseTo(q!.max!);
    const [d] = scoreRows({ kind: 'deadline', deadlineMs: 1, percentile: null }, [row([1], [2])]);
    expect(d!.missed).toBe(true);
  });

  it('two rows differ beyond the spread by Welch’s test, which grows surer with runs', () => {
    const s = (xs: number[]) => spreadOf(xs)!;
    // One slow run makes the ranges overlap; the means are still clearly apart.
    const plan = s([1.4, 1.45, 1.5, 1.42, 1.85]);
    const other = s([1.95, 2.0, 2.05, 1.82, 2.1]);
    expect(plan.max).toBeGreaterThan(other.min);
    expect(differs(plan, other)).toBe(-1);
    expect(differs(other, plan)).toBe(1);
    // Disjoint ranges of 3 runs each, 4 % apart with the scatter of the runs: not beyond it.
    expect(differs(s([1.48, 1.49, 1.5]), s([1.38, 1.44, 1.47]))).toBe(0);
    // The same shift with many runs of the same scatter is.
    const many = (base: number[], k: number) => Array.from({ length: k }, (_, i) => base[i % base.length]!);
    expect(differs(s(many([1.48, 1.49, 1.5], 30)), s(many([1.38, 1.44, 1.47], 30)))).toBe(1);
    // A single run per row has no scatter: the values decide.
    expect(differs(s([1]), s([2]))).toBe(-1);
    expect(differs(s([1]), s([1]))).toBe(0);
  });

  it('Student t quantiles: exact at the table and close between its rows', () => {
    expect(tQuantile975(2)).toBeCloseTo(4.303, 3);
    expect(tQuantile975(7)).toBeCloseTo(2.365, 2);
    expect(tQuantile975(12)).toBeCloseTo(2.179, 2);
    expect(tQuantile975(1e9)).toBeCloseTo(1.96, 3);
  });
});
