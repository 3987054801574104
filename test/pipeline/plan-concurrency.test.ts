import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/core/types.js';
import { parseObjective } from '../../src/optimizer/index.js';
import { planFromSamples } from '../../src/pipeline/plan.js';
import { PlatformRegistry } from '../../src/platforms/index.js';
import { DESIGN, generate, typicalLaw, type Law } from '../models/synthetic.js';

describe("planFromSamples on a backend's own concurrency", () => {
  const registry = new PlatformRegistry();
  const platform = registry.get('aws-lambda-x86');
  // A machine with room for two workers at a time; its samples record it (as the local backend's do).
  const twoSlots = (): number => 2;
  const samples = generate(typicalLaw, DESIGN, { concurrency: 2, seed: 3 });
  const plan = (concurrency?: (c: ResolvedConfig) => number) =>
    planFromSamples({
      samples,
      platforms: [platform],
      registry,
      objective: parseObjective('latency'),
      concurrency,
    }).plans[0]!.stages[0]!;

  const measured = (c: ResolvedConfig, concurrency?: number): number => {
    const runs = generate(typicalLaw, [[c.workers, c.memoryMB]], { reps: 10, seed: 9, concurrency });
    return runs.reduce((a, r) => a + r.makespanMs!, 0) / runs.length;
  };

  it("predicts the plan's latency on the machine that will run it, waves included", () => {
    const local = plan(twoSlots);
    expect(Math.abs(local.predicted.latencyMs / measured(local.config, 2) - 1)).toBeLessThan(0.2);
    // The platform itself runs a thousand at once: there the fastest plan fans out wide.
    const cloud = plan();
    expect(cloud.config.workers).toBeGreaterThan(16);
    expect(Math.abs(cloud.predicted.latencyMs / measured(cloud.config) - 1)).toBeLessThan(0.2);
    // Run on two slots, the cloud's plan queues in waves: many times slower than predicted.
    expect(measured(cloud.config, 2)).toBeGreaterThan(4 * cloud.predicted.latencyMs);
    expect(local.config.workers).toBeLessThan(cloud.config.workers);
  });

  it("gives a worker no vCPU past the machine's cores: the fastest plan takes no memory it cannot use", () => {
    // Compute scales with vCPU up to this machine's 2 cores; the samples record what each got.
    const law: Law = {
      phases: ({ vcpu, partitionMB }) => ({
        coldStart: 150,
        read: 50,
        compute: (200 + 40 * partitionMB) / Math.min(vcpu, 2),
        write: 20,
      }),
      runLogSd: 0.03,
    };
    const design: [number, number][] = [
      [1, 1024],
      [1, 3538],
      [1, 8192],
      [2, 1769],
      [1, 10240],
      [2, 5120],
    ];
    const runs = generate(law, design, { concurrency: 1, seed: 4 }).map((x) => ({
      ...x,
      effectiveVcpu: Math.min(x.config.vcpu!, 2),
    }));
    const fastest = (effectiveVcpu?: (c: ResolvedConfig) => number) =>
      planFromSamples({
        samples: runs,
        platforms: [platform],
        registry,
        objective: parseObjective('latency'),
        concurrency: () => 1,
        effectiveVcpu,
      }).plans[0]!.stages[0]!;
    const capped = fastest((c) => Math.min(c.vcpu, 2));
    expect(capped.config.workers).toBe(1);
    // 2 vCPU is 3538 MB; anything above runs no faster and costs more.
    expect(capped.config.memoryMB).toBeLessThanOrEqual(3600);
    expect(capped.config.memoryMB).toBeGreaterThanOrEqual(3400);
  });
});
