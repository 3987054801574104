/** examples/lithops through the registry, as `rightsizer optimize` makes its backend: one real run on localhost. */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backends/registry.js';
import { loadWorkflow } from '../../../src/store/workflow-file.js';
import { VENV_PYTHON, platform } from './helpers.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/lithops/workflow.yaml', import.meta.url));

describe.skipIf(!existsSync(VENV_PYTHON))('examples/lithops', () => {
  const home = mkdtempSync(join(tmpdir(), 'rightsizer-lithops-example-'));
  mkdirSync(join(home, 'tmp'));
  // This test file runs in a process of its own (vitest forks), so its environment is its own.
  process.env['HOME'] = home;
  process.env['TMPDIR'] = join(home, 'tmp');
  const workflow = loadWorkflow(EXAMPLE);
  const backend = createBackend('lithops', { platform, workflow });
  afterAll(() => backend.close());

  it('counts words with numpy on Lithops localhost, with read/compute/write phases', async () => {
    const stage = workflow.stages[0]!;
    const { sample, outputKeys } = await backend.runStage({
      runId: 'example-1',
      workflow: workflow.name,
      stage: { ...stage, params: { ...stage.params, words: 200_000 } },
      config: { workers: 2, memoryMB: 1024, vcpu: 1024 / 1769 },
      inputBytes: stage.inputBytes ?? null,
      rep: 0,
      timeoutMs: 60_000,
      seed: 0,
    });
    expect(sample.status, sample.error ?? '').toBe('ok');
    expect(sample.workers).toHaveLength(2);
    for (const w of sample.workers)
      for (const p of [w.readMs, w.computeMs, w.writeMs]) expect(p).toBeGreaterThan(0);
    expect(outputKeys).toEqual(['runs/count/example-1/counts-0.npy', 'runs/count/example-1/counts-1.npy']);
  });
});
