import { afterAll, describe, expect, it } from 'vitest';
import { SampleSchema } from '../../../src/core/schemas.js';
import { makeBackend, request, stagePath, tempDir } from './helpers.js';

describe('local backend round trip', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('runs a trivial stage: phases timed, outputs written, a valid sample/v1 priced on the platform', async () => {
    const backend = makeBackend(t.dir);
    await backend.store.write('in/a', Buffer.alloc(3000, 1));
    await backend.store.write('in/b', Buffer.alloc(1500, 2));
    const { sample, outputKeys, notes } = await backend.runStage(
      request('trivial', {
        stage: { name: 'trivial', run: stagePath('trivial'), input: { prefix: 'in/' } },
        config: { workers: 3, memoryMB: 1024, vcpu: 1 },
        outputPrefix: 'out/trivial/',
      }),
    );
    expect(sample.error ?? null).toBeNull();
    expect(sample.status).toBe('ok');
    expect(SampleSchema.safeParse(sample).success).toBe(true);
    expect(sample).toMatchObject({
      backend: 'local',
      platform: 'k8s',
      inputBytes: 4500,
      isolation: backend.mode,
    });
    expect(notes).toContain(`isolation: ${backend.mode}`);
    expect(sample.workers).toHaveLength(3);
    for (const w of sample.workers) {
      expect(w.coldStartMs).toBeGreaterThan(0);
      expect(w.readMs).toBeGreaterThan(0);
      expect(w.computeMs).toBeGreaterThanOrEqual(0);
      expect(w.writeMs).toBeGreaterThan(0);
      expect(w.totalMs!).toBeGreaterThanOrEqual(w.readMs! + w.computeMs! + w.writeMs!);
      // k8s bills init: billed = cold start + invocation.
      expect(w.billedMs!).toBeGreaterThanOrEqual(w.coldStartMs! + w.totalMs! - 1);
      expect(w.peakMemoryMB).toBeGreaterThan(0);
    }
    expect(sample.makespanMs!).toBeGreaterThanOrEqual(Math.max(...sample.workers.map((w) => w.totalMs!)));
    expect(sample.costUSD).toBeGreaterThan(0);
    expect(outputKeys).toEqual(['out/trivial/part-0', 'out/trivial/part-1', 'out/trivial/part-2']);
    const sums = await Promise.all(
      outputKeys!.map(async (k) => JSON.parse((await backend.store.read(k)).toString())),
    );
    // 1500 bytes each: a[0,1500), a[1500,3000), b — byte values 1 and 2.
    expect(sums).toEqual([
      { sum: 1500, bytes: 1500 },
      { sum: 1500, bytes: 1500 },
      { sum: 3000, bytes: 1500 },
    ]);
    const written = await Promise.all(outputKeys!.map((k) => backend.store.size(k)));
    expect(sample.outputBytes).toBe(written.reduce((a, b) => a + b, 0));
    await backend.close();
  });

  it('reads each delimited record exactly once across workers', async () => {
    const backend = makeBackend(t.dir);
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i} ${'x'.repeat(i % 7)}`);
    await backend.store.write('text/0', lines.slice(0, 20).join('\n') + '\n');
    await backend.store.write('text/1', lines.slice(20).join('\n') + '\n');
    const { sample, outputKeys } = await backend.runStage(
      request('count-lines', {
        inputKeys: ['text/0', 'text/1'],
        config: { workers: 3, memoryMB: 1024, vcpu: 1 },
        params: { recordDelimiter: '\n' },
      }),
    );
    expect(sample.status).toBe('ok');
    const seen = (
      await Promise.all(
        outputKeys!.map(async (k) => JSON.parse((await backend.store.read(k)).toString()) as string[]),
      )
    ).flat();
    expect(seen).toEqual(lines);
  });
});
