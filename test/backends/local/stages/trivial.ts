import type { StageContext } from '../../../../src/backends/local/stage-context.js';

/** Sums the bytes of its partition and writes the sum: every phase runs once. */
export default async function trivial(ctx: StageContext): Promise<void> {
  const data = await ctx.readPartition();
  const sum = ctx.compute(() => data.reduce((s, b) => s + b, 0));
  await ctx.write(`part-${ctx.partition.index}`, JSON.stringify({ sum, bytes: data.length }));
}
