/**
 * What the three stage modules share: the data set's header from the store, the check that the
 * backend cut partitions on this data set's record boundaries, and output keys that sort in time
 * order (the next stage's partitioning follows key order).
 */
import type { StageContext } from '../../../src/backends/local/index.js';
import { fromMeta, metaKey, parseMeta, type Dataset, type Meta } from './dataset.js';

export function datasetName(params: Readonly<Record<string, unknown>>): string {
  const name = params.dataset;
  return typeof name === 'string' && name !== '' ? name : 'taskac';
}

export async function loadDataset(ctx: StageContext): Promise<{ meta: Meta; ds: Dataset }> {
  const meta = parseMeta(await ctx.read(metaKey(datasetName(ctx.params))));
  return { meta, ds: fromMeta(meta) };
}

/**
 * With several workers, partitions must hold whole records (whole solution intervals), else
 * the result would depend on the worker count: refuse a workflow whose recordBytes is wrong.
 */
export function checkRecordBytes(ctx: StageContext, expected: number, what: string): void {
  const p = ctx.partition;
  if (p.count > 1 && p.recordBytes !== expected)
    throw new Error(
      `taskac ${ctx.stage}: partitions are cut every ${p.recordBytes} bytes, but one ${what} record is ${expected} bytes; set recordBytes: ${expected} on stage "${ctx.stage}" in workflow.yaml`,
    );
  if (p.bytes % expected !== 0)
    throw new Error(
      `taskac ${ctx.stage}: partition of ${p.bytes} bytes is not whole ${what} records of ${expected} bytes`,
    );
}

/** Output key of the records starting at `block`: zero-padded so key order is time order. */
export function blockKey(folder: string, block: number, ext: string): string {
  return `${folder}/b${String(block).padStart(7, '0')}.${ext}`;
}
