/**
 * Writes a data set to an object store: the raw chunks `<name>/ms/chunk-NNNNN.vis` (each
 * `recordsPerChunk` records, generated one chunk at a time so several GB never sit in memory),
 * then the header `<name>/meta.json` last — a header present means every chunk is.
 */
import { chunkCount, chunkKey, makeDataset, metaKey, toMeta, type Meta } from './dataset.js';
import { generateRecord } from './generate.js';
import { joinRecords } from './record.js';
import type { DatasetSpec } from './spec.js';

export interface WritableStore {
  write(key: string, data: Uint8Array | string): Promise<void>;
}

export async function writeDataset(
  store: WritableStore,
  spec: DatasetSpec,
  onChunk?: (done: number, total: number) => void,
): Promise<Meta> {
  const ds = makeDataset(spec);
  const chunks = chunkCount(ds);
  for (let c = 0; c < chunks; c++) {
    const first = c * ds.spec.recordsPerChunk;
    const last = Math.min(ds.nRecords, first + ds.spec.recordsPerChunk);
    const records = [];
    for (let b = first; b < last; b++) records.push(generateRecord(ds, b));
    await store.write(chunkKey(ds.spec.name, c), joinRecords(records));
    onChunk?.(c + 1, chunks);
  }
  const meta = toMeta(ds);
  await store.write(metaKey(ds.spec.name), JSON.stringify(meta));
  return meta;
}
