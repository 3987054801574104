import { afterAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../src/backends/local/index.js';
import { loadWorkflow } from '../../src/store/workflow-file.js';
import setup, { type TaskacSetupContext } from '../../examples/taskac/setup.js';
import { makeDataset, metaKey, parseMeta } from '../../examples/taskac/lib/dataset.js';
import { specFromParams } from '../../examples/taskac/lib/spec.js';
import { WORKFLOW_DIR, tempDir } from './helpers.js';

function context(store: FsObjectStore, params: Record<string, unknown>): TaskacSetupContext {
  return {
    store: {
      write: async (k, d) => {
        await store.write(k, d);
      },
      exists: (k) => store.exists(k),
      list: (p) => store.list(p),
      delete: (k) => store.delete(k),
    },
    params,
    storeRoot: store.root,
  };
}

describe('taskac setup and workflow file', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it("workflow.yaml's recordBytes are the default data set's record sizes", () => {
    const wf = loadWorkflow(WORKFLOW_DIR);
    const ds = makeDataset(specFromParams(wf.params ?? {}));
    const bytes = (name: string): unknown =>
      (wf.stages.find((s) => s.name === name) as { recordBytes?: unknown }).recordBytes;
    expect(bytes('rebin')).toBe(ds.rawRecordBytes);
    expect(bytes('calibrate')).toBe(ds.avgRecordBytes);
    expect(wf.stages.find((s) => s.name === 'image')?.maxWorkers).toBe(1);
  });

  it('generates the data set once, skips it when present, replaces its own stale one, refuses foreign objects', async () => {
    const store = new FsObjectStore(t.dir);
    const params = { dataset: 'tiny', size: 'tiny', nAntennas: 8, nChannels: 8, recordsPerChunk: 1 };
    await expect(setup(context(store, params))).resolves.toBe('generated');
    const meta = parseMeta(await store.read(metaKey('tiny')));
    expect(meta.spec.nTimes).toBe(16);
    expect(meta.layout.records).toBe(2);
    const chunks = await store.list('tiny/ms/');
    expect(chunks.map((c) => c.key)).toEqual(meta.layout.chunks);
    expect(chunks.reduce((s, c) => s + c.bytes, 0)).toBe(meta.layout.totalBytes);
    expect(meta.gains).toHaveLength(2);
    expect(meta.sky).toHaveLength(5);
    await expect(setup(context(store, params))).resolves.toBe('present');
    // A smaller size: the old chunks would be read as stage input, so they are replaced.
    await expect(setup(context(store, { ...params, size: 8 }))).resolves.toBe('generated');
    const small = parseMeta(await store.read(metaKey('tiny')));
    expect(small.layout.records).toBe(1);
    expect((await store.list('tiny/ms/')).map((c) => c.key)).toEqual(small.layout.chunks);
    expect(await store.list('tiny/spec-')).toHaveLength(1);
    await expect(setup(context(store, { ...params, size: 8 }))).resolves.toBe('present');
    // An object this setup did not generate is refused, not deleted.
    await store.write('tiny/ms/someone-elses.bin', 'x');
    await expect(setup(context(store, { ...params, size: 8 }))).rejects.toThrow(/belong to another data set/);
    expect(await store.exists('tiny/ms/someone-elses.bin')).toBe(true);
  });

  it('reads size presets and explicit step counts, rounded up to whole solution intervals', () => {
    expect(specFromParams({ size: 'small' }).nTimes).toBe(64);
    expect(specFromParams({ size: '20' }).nTimes).toBe(24);
    expect(() => specFromParams({ size: 'huge' })).toThrow(/params.size/);
  });
});
