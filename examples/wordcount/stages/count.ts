import type { StageContext } from '../../../src/backends/local/stage-context.js';

/** Counts the words of this worker's lines (its partition, cut on "\n"). */
export default async function count(ctx: StageContext): Promise<void> {
  const text = (await ctx.readPartition()).toString('utf8');
  const counts = ctx.compute(() => {
    const m = new Map<string, number>();
    for (const word of text.split(/\s+/)) if (word !== '') m.set(word, (m.get(word) ?? 0) + 1);
    return Object.fromEntries(m);
  });
  await ctx.write(`counts-${ctx.partition.index}.json`, JSON.stringify(counts));
}
