import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExecBackend } from '../../src/backends/exec/index.js';
import { planFromSamples } from '../../src/pipeline/plan.js';
import { PlatformRegistry } from '../../src/platforms/index.js';
import { profileWorkflow } from '../../src/profiler/profile.js';
import { runPlan } from '../../src/profiler/run-plan.js';
import { readSamples, validateWorkflow } from '../../src/store/index.js';
import { engine, platform } from '../backends/exec/engines.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rightsizer-exec-dag-'));
});

/** The sparse design (1 rep, seed 3) of `workflow` on the exec engine `command`, run in `at`. */
async function profileOn(
  workflow: ReturnType<typeof validateWorkflow>,
  command: string,
  at: string,
  samplesPath: string,
): ReturnType<typeof profileWorkflow> {
  const backend = new ExecBackend(command, platform, { cwd: at });
  try {
    return await profileWorkflow({
      workflow,
      backend,
      platform,
      samplesPath,
      design: 'sparse',
      reps: 1,
      seed: 3,
    });
  } finally {
    await backend.close();
  }
}

/** split → merge on an engine whose replies carry exactly what the protocol defines. */
function setup(
  at: string,
  withKeys = false,
): {
  log: string;
  profile: (samplesPath: string) => ReturnType<typeof profileWorkflow>;
} {
  const log = join(at, 'requests.jsonl');
  const workflow = validateWorkflow(
    {
      name: 'dag',
      backend: 'exec',
      stages: [
        {
          name: 'split',
          inputBytes: 4_000_000,
          space: { workers: { min: 1, max: 8 }, memoryMB: [512, 1024] },
        },
        {
          name: 'merge',
          dependsOn: ['split'],
          space: { workers: { min: 1, max: 8 }, memoryMB: [512, 1024] },
        },
      ],
    },
    { source: 'dag', baseDir: at },
  );
  const profile = (samplesPath: string) =>
    profileOn(workflow, engine('stage.mjs', log, ...(withKeys ? ['keys'] : [])), at, samplesPath);
  return { log, profile };
}

async function requests(log: string): Promise<{ stage: string; inputBytes: number | null }[]> {
  return (await readFile(log, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { stage: string; inputBytes: number | null });
}

describe('exec backend: a DAG whose engine keeps its own data', () => {
  it('profiles the downstream stage without output keys, at the size the upstream reported', async () => {
    const { log, profile } = setup(dir);
    const r = await profile(join(dir, 'samples.jsonl'));
    expect(r.stages.map((s) => s.runs)).toEqual([5, 5]);
    const merge = (await requests(log)).filter((q) => q.stage === 'merge');
    expect(merge).toHaveLength(5);
    // Every config of merge reads the same materialised input: half of split's 4 MB.
    for (const q of merge) expect(q.inputBytes).toBe(2_000_000);
    expect(r.stages.find((s) => s.stage === 'merge')!.fullInputBytes).toBe(2_000_000);
  });

  it('resumes from a samples file moved without its outputs/ folder, running nothing again', async () => {
    // An engine that lists its output keys: the profile keeps them in outputs/ beside the samples.
    const first = setup(dir, true);
    await first.profile(join(dir, 'samples.jsonl'));
    expect(existsSync(join(dir, 'outputs'))).toBe(true);
    const moved = await mkdtemp(join(tmpdir(), 'rightsizer-exec-dag-moved-'));
    await cp(join(dir, 'samples.jsonl'), join(moved, 'samples.jsonl'));
    expect(existsSync(join(moved, 'outputs'))).toBe(false);
    const again = setup(moved, true);
    const r = await again.profile(join(moved, 'samples.jsonl'));
    expect(r.ran).toBe(0);
    expect(r.resumed).toBe(10);
  });
});

describe('resume after errors', () => {
  it('runs a failed run again on the next profile, and its sample replaces the error', async () => {
    const workflow = validateWorkflow(
      {
        name: 'retry',
        backend: 'exec',
        stages: [{ name: 'split', inputBytes: 4_000_000, space: { workers: [2], memoryMB: [512, 1024] } }],
      },
      { source: 'retry', baseDir: dir },
    );
    const samplesPath = join(dir, 'samples.jsonl');
    const profile = (command: string) => profileOn(workflow, command, dir, samplesPath);
    // No run succeeded: the profile says so (exit 1 on the CLI), and keeps the runs.
    await expect(profile(engine('garbage.mjs'))).rejects.toThrow(/stage split: no run succeeded/);
    const { samples: broken } = await readSamples(samplesPath);
    expect(broken.map((s) => s.status)).toEqual(['error', 'error']);
    // The engine is mended: the same runs run again (not "already in the file").
    const log = join(dir, 'requests.jsonl');
    const mended = await profile(engine('stage.mjs', log));
    expect(mended.ran).toBe(2);
    expect(mended.resumed).toBe(0);
    expect((await requests(log)).length).toBe(2);
    const { samples } = await readSamples(samplesPath);
    expect(samples.map((s) => s.status)).toEqual(['ok', 'ok']);
    // A third profile finds them done.
    const again = await profile(engine('stage.mjs', log));
    expect([again.ran, again.resumed]).toEqual([0, 2]);
  });
});

describe('params', () => {
  it('runs made with other params are another workload: not resumed, not trained on; each sample says its params', async () => {
    const samplesPath = join(dir, 'samples.jsonl');
    const log = join(dir, 'requests.jsonl');
    const workflowFor = (rounds: number) =>
      validateWorkflow(
        {
          name: 'p',
          backend: 'exec',
          params: { rounds },
          stages: [{ name: 'split', inputBytes: 4_000_000, space: { workers: [2], memoryMB: [512, 1024] } }],
        },
        { source: 'p', baseDir: dir },
      );
    const profile = async (rounds: number) =>
      profileOn(workflowFor(rounds), engine('stage.mjs', log), dir, samplesPath);
    const first = await profile(200);
    expect([first.ran, first.resumed]).toEqual([2, 0]);
    const other = await profile(20);
    expect([other.ran, other.resumed]).toEqual([2, 0]);
    expect(other.samples).toHaveLength(2);
    expect(other.samples.every((s) => (s.params as { rounds: number }).rounds === 20)).toBe(true);
    const back = await profile(200);
    expect([back.ran, back.resumed]).toEqual([0, 2]);
    expect(await requests(log)).toHaveLength(4);
    // `run` (and optimize --compare, which runs through it) records the params too: a run without
    // them would count as every workload's.
    const plan = planFromSamples({
      samples: back.samples,
      workflow: back.planningWorkflow,
      platforms: [platform],
      registry: new PlatformRegistry(),
      objective: { kind: 'cost', percentile: null },
      seed: 1,
    }).plans[0]!;
    const backend = new ExecBackend(engine('stage.mjs', log), platform, { cwd: dir });
    try {
      const ran = await runPlan({ workflow: workflowFor(200), plan, backend, platform, samplesPath });
      expect(ran.samples.map((s) => (s.params as { rounds: number } | undefined)?.rounds)).toEqual([200]);
    } finally {
      await backend.close();
    }
  });
});
