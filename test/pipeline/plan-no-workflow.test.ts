import { describe, expect, it } from 'vitest';
import { parseObjective } from '../../src/optimizer/index.js';
import { planFromSamples } from '../../src/pipeline/plan.js';
import { PlatformRegistry } from '../../src/platforms/index.js';
import { generate, typicalLaw } from '../models/synthetic.js';

describe('planFromSamples without a workflow', () => {
  it('plans a stage that only ever ran on one worker at one worker, and says why', () => {
    const registry = new PlatformRegistry();
    const oneWorker = generate(typicalLaw, [
      [1, 1024],
      [1, 2048],
      [1, 3008],
      [1, 5000],
    ]).map((s) => ({ ...s, stage: 'reduce' }));
    const { plans, warnings } = planFromSamples({
      samples: oneWorker,
      platforms: [registry.get('aws-lambda-x86')],
      registry,
      objective: parseObjective('latency'),
    });
    expect(plans[0]!.stages[0]!.config.workers).toBe(1);
    expect(warnings.join('\n')).toMatch(/reduce ran only on 1 worker, so it is planned at 1 worker/);
  });
});
