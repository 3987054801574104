import type { StageContext } from '../../../../src/backends/local/stage-context.js';

function deepInside(): never {
  throw new Error('stage exploded on purpose');
}

/** Throws from a named function, so the stack tail can be checked. */
export default async function throws(ctx: StageContext): Promise<void> {
  await ctx.list('');
  deepInside();
}
