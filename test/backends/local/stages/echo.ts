import type { StageContext } from '../../../../src/backends/local/stage-context.js';

/** Writes what it read, wrapped in its stage's name: a downstream stage's output shows its input. */
export default async function echo(ctx: StageContext): Promise<void> {
  const text = (await ctx.readPartition()).toString('utf8');
  await ctx.write(`seen-${ctx.partition.index}`, `${ctx.stage}(${text})`);
}
