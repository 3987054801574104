/**
 * Stage `calibrate` (DP3's gaincal + applycal): per solution interval (= per averaged record),
 * solves the X and Y gains of every antenna against the sky model with StefCal (Salvini &
 * Wijnholds 2014) and corrects the visibilities. Writes the calibrated records,
 * `cal/b<first block>.vis`, and the solutions, `solutions/b<first block>.json`.
 */
import type { StageContext } from '../../../src/backends/local/index.js';
import { calibrateRecord, type IntervalSolution } from '../lib/calibrate-record.js';
import { joinRecords, viewRecords } from '../lib/record.js';
import { blockKey, checkRecordBytes, loadDataset } from '../lib/stage-io.js';

export const SOLUTIONS_SCHEMA = 'taskac.solutions/v1';

export default async function calibrate(ctx: StageContext): Promise<void> {
  const { ds } = await loadDataset(ctx);
  checkRecordBytes(ctx, ds.avgRecordBytes, 'averaged');
  const data = await ctx.readPartition();
  if (data.length === 0) return;
  const { out, solutions } = ctx.compute(() => {
    const records = viewRecords(data);
    const sols = records.map((r) => calibrateRecord(ds, r));
    return { out: joinRecords(records), solutions: sols };
  });
  const first = solutions[0]?.block ?? 0;
  await ctx.write(blockKey('cal', first, 'vis'), out);
  await ctx.write(
    blockKey('solutions', first, 'json'),
    JSON.stringify(solutionsDoc(solutions, ds.spec.nAntennas)),
  );
}

function solutionsDoc(solutions: IntervalSolution[], nAntennas: number): unknown {
  return {
    schema: SOLUTIONS_SCHEMA,
    intervals: solutions.map((s) => ({
      block: s.block,
      iterations: s.iterations,
      converged: s.converged,
      // [pol X|Y][antenna] as [re, im], referenced to antenna 0.
      gains: [0, 1].map((pol) =>
        Array.from({ length: nAntennas }, (_, a) => [s.re[pol * nAntennas + a]!, s.im[pol * nAntennas + a]!]),
      ),
    })),
  };
}
