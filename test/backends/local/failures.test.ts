import { afterAll, describe, expect, it } from 'vitest';
import { SampleSchema } from '../../../src/core/schemas.js';
import { alive, makeBackend, request, tempDir, waitUntil } from './helpers.js';

describe('local backend failures', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('kills a hung worker and its child process at the stage timeout', async () => {
    const backend = makeBackend(t.dir);
    const { sample } = await backend.runStage(request('hang', { timeoutMs: 5000, outputPrefix: 'hang/' }));
    expect(sample.status).toBe('timeout');
    expect(SampleSchema.safeParse(sample).success).toBe(true);
    const pids = JSON.parse((await backend.store.read('hang/pids')).toString()) as {
      worker: number;
      child: number;
    };
    expect(await waitUntil(() => !alive(pids.worker) && !alive(pids.child), 2000)).toBe(true);
  });

  it('reports a throwing stage as an error sample with its message and stack tail', async () => {
    const backend = makeBackend(t.dir);
    const { sample, outputKeys } = await backend.runStage(request('throws'));
    expect(sample.status).toBe('error');
    expect(sample.error).toMatch(/^stage exploded on purpose\n/);
    // The user's own file and line (the bundle's inline source map, resolved from where it lies).
    const file = new URL('./stages/throws.ts', import.meta.url).pathname;
    expect(sample.error).toContain(`at deepInside (${file}:4:`);
    expect(sample.makespanMs).toBeNull();
    expect(outputKeys).toEqual([]);
    expect(SampleSchema.safeParse(sample).success).toBe(true);
  });
});
