import type { StageContext } from '../../../../src/backends/local/stage-context.js';

/** Reads its partition line by line (params.recordDelimiter) and writes the lines it saw. */
export default async function countLines(ctx: StageContext): Promise<void> {
  const text = (await ctx.readPartition()).toString('utf8');
  const lines = ctx.compute(() => text.split('\n').filter((l) => l !== ''));
  await ctx.write(`lines-${ctx.partition.index}`, JSON.stringify(lines));
}
