import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExecBackend } from '../../src/backends/exec/index.js';
import { profileWorkflow } from '../../src/profiler/profile.js';
import { validateWorkflow } from '../../src/store/index.js';
import { engine, platform } from '../backends/exec/engines.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rightsizer-exec-dag-'));
});

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
  const profile = async (samplesPath: string) => {
    const backend = new ExecBackend(engine('stage.mjs', log, ...(withKeys ? ['keys'] : [])), platform, {
      cwd: at,
    });
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
  };
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
