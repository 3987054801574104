import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimBackend, type Scenario } from '../../src/backends/sim/index.js';
import { PlatformRegistry } from '../../src/platforms/index.js';
import { planFromSamples } from '../../src/pipeline/plan.js';
import { profileWorkflow } from '../../src/profiler/profile.js';
import { validateWorkflow } from '../../src/store/index.js';
import type { Objective } from '../../src/core/types.js';
import { stageByName } from '../../bench/stages.js';

const registry = new PlatformRegistry();
const platform = registry.get('aws-lambda-x86');
const dir = mkdtempSync(join(tmpdir(), 'rightsizer-dag-objectives-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A diamond of bench stages: parse-csv → (io-copy ∥ tiny-map) → image-reduce. */
function diamond(name: string) {
  const names = ['parse-csv', 'io-copy', 'tiny-map', 'image-reduce'];
  const scenarios = new Map<string, Scenario>(names.map((n) => [n, stageByName(n).scenario]));
  const workflow = validateWorkflow(
    {
      name,
      backend: 'sim',
      stages: [
        { name: 'parse-csv' },
        { name: 'io-copy', dependsOn: ['parse-csv'] },
        { name: 'tiny-map', dependsOn: ['parse-csv'] },
        { name: 'image-reduce', dependsOn: ['io-copy', 'tiny-map'], maxWorkers: 1 },
      ],
    },
    { source: 'test', baseDir: dir },
  );
  return { workflow, backend: new SimBackend({ platform, scenarios }) };
}

describe('optimize on a DAG: the plan of its final samples', () => {
  it.each([
    ['budget', { kind: 'budget', budgetUSD: 0.9, percentile: null }],
    ['deadline', { kind: 'deadline', deadlineMs: 110_000, percentile: null }],
    // A latency's ties are the workflow's: each stage's own fastest config pinned would buy
    // nothing off the critical path (a stage there at 158 × 5,307 MB where the plan has 8 × 955 MB).
    ['latency', { kind: 'latency', percentile: null }],
  ] as [string, Objective][])(
    '%s: the saved plan is the plan of its final samples, not stage answers pinned apart',
    async (kind, objective) => {
      const { workflow, backend } = diamond(`d-${kind}`);
      const samplesPath = join(dir, `${kind}.jsonl`);
      const result = await profileWorkflow({
        workflow,
        backend,
        platform,
        samplesPath,
        design: 'adaptive',
        seed: 1,
        adaptive: { objective, registry, budgetRuns: 6 },
      });
      const saved = result.plan!;
      // Off the critical path a stage is judged by the cheapest config no slower than planned, not
      // by its own fastest one (whose P(within ε) the plan's cheaper config would zero).
      // (The bug this guards against stated 0; a stage left at the plan's config states that config's P.)
      if (objective.kind === 'latency') expect(result.probability).toBeGreaterThan(0.02);
      const again = planFromSamples({
        samples: result.samples,
        workflow: result.planningWorkflow,
        platforms: [platform],
        registry,
        objective,
        seed: 1,
        concurrency: (c) => backend.concurrency(c),
      }).plans[0]!;
      const configs = (p: typeof saved) =>
        p.stages.map((s) => `${s.stage} ${s.config.workers}×${s.config.memoryMB}`);
      expect(configs(saved)).toEqual(configs(again));
      // Nothing on the plan's own front is both cheaper and faster than the plan.
      const dominated = saved.pareto.some(
        (q) =>
          q.latencyMs < (saved.predicted.latencyMs ?? Infinity) * 0.999 &&
          q.costUSD < saved.predicted.costUSD * 0.999,
      );
      expect(dominated).toBe(false);
    },
  );
});
