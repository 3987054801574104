import type { StageContext } from '../../../../src/backends/local/stage-context.js';

/** Burns CPU for `params.cpuMs` of wall time on one thread. */
export default async function spin(ctx: StageContext): Promise<void> {
  const until = Date.now() + Number(ctx.params.cpuMs ?? 500);
  ctx.compute(() => {
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    return x;
  });
}
