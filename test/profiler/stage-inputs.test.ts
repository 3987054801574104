import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plannedInputBytes } from '../../src/pipeline/input-sizes.js';
import { readsFrom } from '../../src/core/dag.js';
import type { FittedStageModel } from '../../src/core/types.js';
import { profileWorkflow } from '../../src/profiler/profile.js';
import { validateWorkflow } from '../../src/store/index.js';
import { makeBackend, platform, stagePath } from '../backends/local/helpers.js';

describe('what a stage reads', () => {
  it('its own objects when it declares them (dependsOn then only orders it), else input.from, else every parent', () => {
    expect(readsFrom({ name: 'b', input: { prefix: 'other/' } }, ['a'])).toEqual([]);
    expect(readsFrom({ name: 'c', input: { from: 'a' } }, ['a', 'b'])).toEqual(['a']);
    expect(readsFrom({ name: 'd' }, ['a', 'b'])).toEqual(['a', 'b']);
  });

  it('plans a stage reading its own objects at its own size, not scaled by its upstream', () => {
    const model = (profiledInputBytes: number) => ({ profiledInputBytes }) as FittedStageModel;
    const models = new Map([
      ['a', model(1000)],
      ['b', model(50)],
      ['c', model(10)],
    ]);
    const sizes = plannedInputBytes(
      [
        { name: 'a' },
        { name: 'b', dependsOn: ['a'], input: { prefix: 'other/' } },
        { name: 'c', dependsOn: ['a', 'b'], input: { from: 'a' } },
      ],
      models,
      10_000,
    );
    // a is planned at 10× what it was profiled at: c (a's output) scales with it, b does not.
    expect(sizes.get('a')).toBe(10_000);
    expect(sizes.get('b')).toBe(50);
    expect(sizes.get('c')).toBe(100);
  });

  it('on the local backend, profiling feeds each stage what it declares', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rightsizer-inputs-'));
    const backend = makeBackend(dir);
    await backend.store.write('in/x.txt', 'IN');
    await backend.store.write('other/y.txt', 'OTHER');
    const run = stagePath('echo');
    const workflow = validateWorkflow(
      {
        name: 'inputs',
        stages: [
          { name: 'a', run, input: { prefix: 'in/' }, maxWorkers: 1 },
          { name: 'b', run, dependsOn: ['a'], input: { prefix: 'other/' }, maxWorkers: 1 },
          { name: 'c', run, dependsOn: ['a', 'b'], input: { from: 'a' }, maxWorkers: 1 },
          { name: 'd', run, dependsOn: ['b', 'c'], maxWorkers: 1 },
        ],
      },
      { source: 'test', baseDir: dir },
    );
    await profileWorkflow({
      workflow,
      backend,
      platform,
      samplesPath: join(dir, 'samples.jsonl'),
      design: 'grid',
      configs: [{ workers: 1, memoryMB: 1024, vcpu: 1 }],
      reps: 1,
    });
    const seen = async (stage: string): Promise<string> => {
      const [o] = await backend.store.list(`runs/${stage}/`);
      return (await backend.store.read(o!.key)).toString('utf8');
    };
    expect(await seen('b')).toBe('b(OTHER)');
    expect(await seen('c')).toBe('c(a(IN))');
    expect(['d(b(OTHER)c(a(IN)))', 'd(c(a(IN))b(OTHER))']).toContain(await seen('d'));
  }, 60_000);
});
