import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backends/backend.js';
import { PlatformRegistry, resolveConfig } from '../../src/platforms/index.js';
import { dryRunStage } from '../../src/profiler/dry-run.js';
import { makeSamples } from '../fixtures/synthetic-samples.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimBackend } from '../../src/backends/sim/index.js';
import { initialDesign, profileWorkflow } from '../../src/profiler/profile.js';
import { readSamples, validateWorkflow } from '../../src/store/index.js';
import { stageByName } from '../../bench/stages.js';

const platform = new PlatformRegistry().get('aws-lambda-x86');
/** Not the sim: the dry run predicts from the samples' model. */
const engine = {} as Backend;
const at = (workers: number, memoryMB: number) => resolveConfig(platform, { workers, memoryMB });

describe('dry run', () => {
  const inputBytes = 2 ** 30;
  const profiled = [
    { workers: 4, memoryMB: 1024 },
    { workers: 8, memoryMB: 2048 },
    { workers: 16, memoryMB: 512 },
    { workers: 32, memoryMB: 1769 },
  ];
  // As a profile writes them: `p-` run ids, the vCPU and the input size of the runs.
  const samples = makeSamples('w', [{ name: 'a', inputBytes, msPerMB: 200 }], profiled, 2).map((x) => ({
    ...x,
    runId: `p-${x.runId ?? ''}`,
    config: { ...x.config, vcpu: resolveConfig(platform, x.config).vcpu },
    inputBytes,
  }));

  it('counts only the runs the samples file does not hold yet', () => {
    const r = dryRunStage(
      platform,
      engine,
      { name: 'a' },
      [at(4, 1024), at(64, 3008)],
      2,
      inputBytes,
      samples,
    );
    expect(r.source).toBe('model');
    expect(r.configs.map((c) => [c.reps, c.done])).toEqual([
      [0, 2],
      [2, 0],
    ]);
    // The total is the runs still to make.
    expect(r.makespanMs).toBeCloseTo(2 * r.configs[1]!.makespanMs!, 6);
    // Not resumed, so not done: runs of another input size, and runs that were not a profile's.
    const other = dryRunStage(platform, engine, { name: 'a' }, [at(4, 1024)], 2, inputBytes / 10, samples);
    expect(other.configs[0]!.done).toBe(0);
    const executed = samples.map((x) => ({ ...x, runId: x.runId!.replace(/^p-/, 'r-') }));
    const fromRun = dryRunStage(platform, engine, { name: 'a' }, [at(4, 1024)], 2, inputBytes, executed);
    expect(fromRun.configs[0]!.done).toBe(0);
  });

  it('takes no run past the stage timeout, which stops it', () => {
    const def = { name: 'a', timeoutMs: 5_000 };
    const slow = at(1, 128);
    const free = dryRunStage(platform, engine, { name: 'a' }, [slow], 1, inputBytes, samples).configs[0]!;
    const r = dryRunStage(platform, engine, def, [slow], 1, inputBytes, samples).configs[0]!;
    expect(free.makespanMs!).toBeGreaterThan(5_000);
    expect(r.makespanMs).toBe(5_000);
    expect(r.costUSD!).toBeCloseTo((free.costUSD! * 5_000) / free.makespanMs!, 12);
  });

  it("replays the sparse start's memory repair on the runs the file holds, as the profile does", async () => {
    const scenario = stageByName('sort-gc').scenario;
    const dir = mkdtempSync(join(tmpdir(), 'rightsizer-dry-repair-'));
    const def = { name: scenario.name };
    const workflow = validateWorkflow(
      { name: 'g', backend: 'sim', stages: [def] },
      { source: 't', baseDir: dir },
    );
    const backend = new SimBackend({ platform, scenarios: new Map([[scenario.name, scenario]]) });
    const samplesPath = join(dir, 'samples.jsonl');
    await profileWorkflow({ workflow, backend, platform, samplesPath, design: 'sparse', reps: 1, seed: 4 });
    const { samples: ran } = await readSamples(samplesPath);
    const design = initialDesign(platform, def, 'sparse', undefined, undefined, 4);
    const dry = dryRunStage(platform, backend, def, design, 1, scenario.inputBytes, ran, true);
    // Everything the dry run lists is what the profile ran, already in the file: nothing to run.
    expect(dry.configs.every((c) => c.reps === 0 && c.done === 1)).toBe(true);
    expect(dry.configs.length + (dry.leftOut?.length ?? 0)).toBe(design.length);
    // Without the replay, the drawn points that were raised or left out look still to run.
    const naive = dryRunStage(platform, backend, def, design, 1, scenario.inputBytes, ran);
    expect(naive.configs.some((c) => c.reps > 0)).toBe(true);
  });
});
