import type { StageContext } from '../../../src/backends/local/stage-context.js';

/** Sums the per-partition counts of `count` into one table, most frequent first. */
export default async function merge(ctx: StageContext): Promise<void> {
  const parts = await Promise.all(ctx.partition.keys.map((k) => ctx.read(k)));
  const total = ctx.compute(() => {
    const m = new Map<string, number>();
    for (const p of parts)
      for (const [w, n] of Object.entries(JSON.parse(p.toString('utf8')) as Record<string, number>))
        m.set(w, (m.get(w) ?? 0) + n);
    return [...m].sort((a, b) => b[1] - a[1]);
  });
  await ctx.write('wordcount.json', JSON.stringify(total));
}
