/**
 * The workflow's `setup`: generates the synthetic observation into the object store, once.
 * rightsizer's profiler runs it (src/profiler/setup.ts) with a context holding the store and the
 * workflow's params; `size` picks the data set (small ≈ 50 MB, medium ≈ 400 MB, large ≈ 3.2 GB,
 * xlarge ≈ 6.3 GB, or a number of 2 s time steps), and any field of lib/spec.ts may be overridden.
 *
 * It skips the work when the store already holds this very data set: every chunk at its exact
 * size and a stamp naming the spec. Another data set that this setup generated (another size or
 * seed: its stamp is there) is replaced, and it says so; objects under the prefix that it did not
 * generate are refused with a message (the stages would read them as input).
 *
 * Run by hand: `npx tsx examples/taskac/setup.ts [size] [storeRoot]`.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { FsObjectStore, defaultStoreRoot } from '../../src/backends/local/index.js';
import { chunkCount, chunkKey, chunkPrefix, makeDataset, metaKey } from './lib/dataset.js';
import { specFromParams, type DatasetSpec } from './lib/spec.js';
import { writeDataset } from './lib/write-dataset.js';

/** The part of rightsizer's SetupContext this setup uses. */
export interface TaskacSetupContext {
  store: {
    write(key: string, data: Uint8Array | string): Promise<void>;
    exists(key: string): Promise<boolean>;
    list(prefix?: string): Promise<{ key: string; bytes: number }[]>;
    delete(key: string): Promise<void>;
  };
  params: Readonly<Record<string, unknown>>;
  storeRoot?: string;
}

export type SetupResult = 'generated' | 'present';

export default async function setup(ctx: TaskacSetupContext): Promise<SetupResult> {
  const spec = specFromParams(ctx.params);
  const ds = makeDataset(spec);
  const stamp = stampKey(ds.spec);
  const listed = await ctx.store.list(chunkPrefix(spec.name));
  const expected = new Map<string, number>();
  for (let c = 0; c < chunkCount(ds); c++) {
    const records = Math.min(ds.spec.recordsPerChunk, ds.nRecords - c * ds.spec.recordsPerChunk);
    expected.set(chunkKey(spec.name, c), records * ds.rawRecordBytes);
  }
  const stamps = (await ctx.store.list(`${spec.name}/spec-`)).map((o) => o.key);
  const oldStamps = stamps.filter((k) => k !== stamp);
  let foreign = listed.filter((o) => !expected.has(o.key));
  if (foreign.length > 0 && oldStamps.length > 0) {
    // Our own earlier data set (another size or seed): replace it rather than make the user delete it.
    process.stderr.write(
      `taskac setup: replacing the data set generated earlier (${foreign.length} stale chunk(s) under ${chunkPrefix(spec.name)})\n`,
    );
    for (const o of foreign) await ctx.store.delete(o.key);
    for (const k of oldStamps) await ctx.store.delete(k);
    foreign = [];
  }
  if (foreign.length > 0)
    throw new Error(
      `taskac setup: ${foreign.length} object(s) under ${chunkPrefix(spec.name)} belong to another data set (e.g. ${foreign[0]!.key}); ` +
        `delete ${ctx.storeRoot ? `${ctx.storeRoot}/${spec.name}` : `the store's ${spec.name}/ folder`} and run again`,
    );
  const complete =
    listed.length === expected.size &&
    listed.every((o) => expected.get(o.key) === o.bytes) &&
    (await ctx.store.exists(metaKey(spec.name))) &&
    (await ctx.store.exists(stamp));
  if (complete) return 'present';
  const started = Date.now();
  const meta = await writeDataset(ctx.store, ds.spec, (done, total) => {
    if (process.stderr.isTTY) process.stderr.write(`\rtaskac setup: chunk ${done}/${total}`);
  });
  await ctx.store.write(stamp, JSON.stringify(ds.spec));
  if (process.stderr.isTTY) process.stderr.write('\n');
  process.stderr.write(
    `taskac setup: ${meta.layout.records} records, ${(meta.layout.totalBytes / 1024 ** 2).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 'generated';
}

/** A stamp object whose key names the spec, so a changed seed or size is not mistaken for done. */
function stampKey(spec: DatasetSpec): string {
  const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
  return `${spec.name}/spec-${hash}.json`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [size, root] = process.argv.slice(2);
  const store = new FsObjectStore(root ?? defaultStoreRoot(fileURLToPath(new URL('.', import.meta.url))));
  await setup({
    store: {
      write: async (k, d) => {
        await store.write(k, d);
      },
      exists: (k) => store.exists(k),
      list: (p) => store.list(p),
      delete: (k) => store.delete(k),
    },
    params: size ? { size } : {},
    storeRoot: store.root,
  });
}
