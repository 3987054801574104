import type { StageContext } from '../../../../src/backends/local/stage-context.js';

/** Holds `params.allocMB` of Buffers, touched so the pages are really resident (off the V8 heap). */
export default async function allocOffHeap(ctx: StageContext): Promise<void> {
  const allocMB = Number(ctx.params.allocMB ?? 0);
  const held: Buffer[] = [];
  ctx.compute(() => {
    for (let i = 0; i < allocMB / 16; i++) held.push(Buffer.alloc(16 * 1024 * 1024).fill(i + 1));
  });
  // Stay alive a little so a polling watchdog sees the peak.
  await new Promise((r) => setTimeout(r, Number(ctx.params.holdMs ?? 200)));
  await ctx.write('held', String(held.length));
}
