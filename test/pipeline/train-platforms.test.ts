import { describe, expect, it } from 'vitest';
import { defineScenario, simulateRun } from '../../src/backends/sim/index.js';
import { trainWorkflow } from '../../src/pipeline/train.js';
import { PlatformRegistry } from '../../src/platforms/index.js';

const registry = new PlatformRegistry();
const scenario = defineScenario({
  name: 'a',
  seed: 1,
  inputBytes: 2 ** 30,
  coldStart: { medianMs: 300 },
  read: { mbps: 80 },
  compute: { msPerMB: 10 },
  write: { mbps: 80 },
  memory: { baseMB: 100, perPartitionMB: 1 },
  noise: {},
});
const configs = [
  { workers: 4, memoryMB: 1024 },
  { workers: 8, memoryMB: 2048 },
  { workers: 16, memoryMB: 3008 },
];
const runsOn = (id: string) =>
  configs.map((c, rep) => simulateRun(scenario, registry.get(id), c, { rep, seed: 1, workflow: 'w' }));

describe('trainWorkflow across platforms', () => {
  it('warns when a stage’s samples ran on more than one platform, and fits them as one', () => {
    const { models, warnings } = trainWorkflow([...runsOn('aws-lambda-x86'), ...runsOn('aws-lambda-arm64')]);
    expect(models.get('a')).toBeDefined();
    expect(warnings).toEqual([
      expect.stringMatching(
        /^stage "a": its samples ran on aws-lambda-arm64 and aws-lambda-x86, fitted as one model/,
      ),
    ]);
  });
  it('says nothing for samples of one platform', () => {
    expect(trainWorkflow(runsOn('aws-lambda-x86')).warnings).toEqual([]);
  });
});
