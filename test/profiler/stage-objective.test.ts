import { describe, expect, it } from 'vitest';
import type { Objective, Plan } from '../../src/core/types.js';
import { stageObjective } from '../../src/profiler/stage-objective.js';

/** A diamond's plan: a → (b ∥ c) → d, b on the critical path, c off it. */
function plan(criticalPath: string[]): Plan {
  const stage = (name: string, latencyMs: number, costUSD: number) => ({
    stage: name,
    inputBytes: null,
    config: { workers: 4, memoryMB: 1024, vcpu: 0.58 },
    predicted: {
      latencyMs,
      latencyIntervalMs: [latencyMs * 0.8, latencyMs * 1.2] as [number, number],
      costUSD,
    },
    model: { family: 'amdahl', cvError: 0.05, configs: 6, runs: 18 },
  });
  return {
    schema: 'rightsizer.plan/v1',
    workflow: 'w',
    platform: 'aws-lambda-x86',
    feasible: true,
    objective: { kind: 'latency', percentile: null },
    stages: [stage('a', 1000, 0.01), stage('b', 5000, 0.02), stage('c', 2000, 0.03), stage('d', 1000, 0.01)],
    predicted: { latencyMs: 7000, latencyIntervalMs: [6000, 8000], costUSD: 0.07, criticalPath },
    pareto: [],
  } as Plan;
}

describe('stageObjective', () => {
  const latency: Objective = { kind: 'latency', percentile: null };

  it('latency: a stage on the critical path keeps it; one off it is the cheapest no slower than planned', () => {
    const p = plan(['a', 'b', 'd']);
    expect(stageObjective(latency, p, 'b')).toEqual(latency);
    expect(stageObjective(latency, p, 'c')).toEqual({ kind: 'deadline', deadlineMs: 2000, percentile: null });
    expect(stageObjective({ kind: 'latency', percentile: 95 }, p, 'c')).toEqual({
      kind: 'deadline',
      deadlineMs: 2000,
      percentile: 95,
    });
    // No critical path (stages planned alone): every stage keeps the latency.
    expect(stageObjective(latency, plan([]), 'c')).toEqual(latency);
  });

  it('a deadline leaves each stage its planned latency plus the workflow slack; a budget its cost plus the spare', () => {
    const p = plan(['a', 'b', 'd']);
    expect(stageObjective({ kind: 'deadline', deadlineMs: 9000, percentile: null }, p, 'c')).toEqual({
      kind: 'deadline',
      deadlineMs: 4000,
      percentile: null,
    });
    expect(stageObjective({ kind: 'budget', budgetUSD: 0.1, percentile: null }, p, 'b')).toMatchObject({
      kind: 'budget',
      budgetUSD: expect.closeTo(0.05, 9),
    });
    expect(stageObjective({ kind: 'cost', percentile: null }, p, 'c')).toEqual({
      kind: 'cost',
      percentile: null,
    });
  });
});
