import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/core/types.js';
import { parseObjective } from '../../src/optimizer/index.js';
import { planFromSamples } from '../../src/pipeline/plan.js';
import { PlatformRegistry } from '../../src/platforms/index.js';
import { DESIGN, generate, typicalLaw } from '../models/synthetic.js';

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
});
