/**
 * The lithops backend end to end: real Lithops jobs on its localhost backend, through the bridge
 * the backend starts. Needs the project's .venv (bash scripts/setup-python.sh; test-all.sh runs it).
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SampleSchema } from '../../../src/core/types.js';
import { RightsizerError } from '../../../src/core/errors.js';
import { VENV_PYTHON, localBackend, request, untilGone } from './helpers.js';

describe.skipIf(!existsSync(VENV_PYTHON))('LithopsBackend on Lithops localhost', () => {
  const { backend, tag } = localBackend();
  afterAll(async () => {
    await backend.close();
    expect(await untilGone(tag)).toEqual([]);
  });

  it.each([1, 2, 4])(
    'runs the stage at %i workers and reports workers, phases and makespan',
    async (workers) => {
      const before = Date.now();
      const { sample, outputKeys, notes } = await backend.runStage(request('stagefns:sleepy', workers));
      const wallMs = Date.now() - before;
      expect(SampleSchema.safeParse(sample).success).toBe(true);
      expect(sample).toMatchObject({
        status: 'ok',
        backend: 'lithops',
        runId: `run-stagefns:sleepy-${workers}`,
      });
      expect(sample.workers).toHaveLength(workers);
      for (const w of sample.workers) {
        expect(w.readMs).toBeGreaterThanOrEqual(100);
        expect(w.readMs).toBeLessThan(500);
        expect(w.computeMs).toBeGreaterThanOrEqual(300);
        expect(w.computeMs).toBeLessThan(900);
        expect(w.writeMs).toBeGreaterThanOrEqual(50);
        expect(w.totalMs!).toBeGreaterThanOrEqual(w.readMs! + w.computeMs! + w.writeMs! - 10);
        expect(w.coldStartMs).toBeGreaterThanOrEqual(0);
        expect(w.peakMemoryMB).toBeGreaterThan(1);
        expect(w.cold).toBe(true);
      }
      // Every worker at once: about one call plus Lithops' overhead, within the wall time seen here.
      expect(sample.makespanMs!).toBeGreaterThanOrEqual(450);
      expect(sample.makespanMs!).toBeLessThanOrEqual(wallMs);
      expect(sample.makespanMs!).toBeLessThan(450 * workers + 3000);
      expect(sample.costUSD).toBeGreaterThan(0);
      expect(outputKeys).toEqual(Array.from({ length: workers }, (_, i) => `out/${i}`));
      // localhost ignores memory and CPU, and says so (nothing else).
      expect(notes).toEqual([expect.stringMatching(/^lithops localhost: memory and vCPU have no effect/)]);
    },
  );

  it('turns a function that raises into an error sample with its traceback tail', async () => {
    const { sample } = await backend.runStage(request('stagefns:raises', 2));
    expect(sample.status).toBe('error');
    expect(sample.error).toMatch(/^worker 1: /);
    expect(sample.error).toContain('ValueError: bad record in partition 1');
    expect(sample.error).toContain('stagefns.py');
  });

  it('turns a killed worker into an error sample naming the signal', async () => {
    // One worker: a sibling call of the same Lithops localhost job can fail on its own when a
    // process of the job is signalled, which would hide the message this test is about.
    const run = request('stagefns:kills_itself', 1, { params: { signal: 'SIGTERM', victim: 0 } });
    const { sample } = await backend.runStage(run);
    expect(sample.status).toBe('error');
    expect(sample.error).toMatch(/^worker 0: killed by SIGTERM/);
  });

  it('says which function reference is wrong, as bad input', async () => {
    const run = backend.runStage(request('stagefns:nope', 1));
    await expect(run).rejects.toBeInstanceOf(RightsizerError);
    await expect(run).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('has no nope') });
  });
});
