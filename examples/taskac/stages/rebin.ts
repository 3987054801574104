/**
 * Stage `rebin` (DP3's preflagger + averager): flags outliers in each averaging cell, then
 * averages `freqstep` channels × `timestep` time steps. Reads whole raw records (one solution
 * interval each), writes one object of averaged records per worker, `avg/b<first block>.vis`.
 * Time and memory grow with the partition: it holds the partition's raw bytes and its output.
 */
import type { StageContext } from '../../../src/backends/local/index.js';
import { averageRecord } from '../lib/average.js';
import { DEFAULT_FLAG_THRESHOLD, flagOutliers } from '../lib/flag.js';
import { joinRecords, viewRecords } from '../lib/record.js';
import { blockKey, checkRecordBytes, loadDataset } from '../lib/stage-io.js';

export default async function rebin(ctx: StageContext): Promise<void> {
  const { meta, ds } = await loadDataset(ctx);
  checkRecordBytes(ctx, ds.rawRecordBytes, 'raw');
  const known = new Set(meta.layout.chunks);
  const stale = ctx.partition.keys.find((k) => !known.has(k));
  if (stale)
    throw new Error(
      `taskac rebin: ${stale} is not a chunk of the data set in ${ctx.params.dataset ?? 'taskac'}/meta.json (a stale chunk from another size?)`,
    );
  const raw = await ctx.readPartition();
  if (raw.length === 0) return;
  const threshold =
    typeof ctx.params.flagThreshold === 'number' ? ctx.params.flagThreshold : DEFAULT_FLAG_THRESHOLD;
  const { timestep, freqstep } = ds.spec;
  const { out, first } = ctx.compute(() => {
    const records = viewRecords(raw);
    const averaged = records.map((r) => {
      flagOutliers(r, timestep, freqstep, threshold);
      return averageRecord(r, timestep, freqstep);
    });
    return { out: joinRecords(averaged), first: records[0]?.block ?? 0 };
  });
  await ctx.write(blockKey('avg', first, 'vis'), out);
}
