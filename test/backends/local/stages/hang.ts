import { spawn } from 'node:child_process';
import type { StageContext } from '../../../../src/backends/local/stage-context.js';

/** Starts a child process, records both pids, then never finishes (busy when params.busy). */
export default async function hang(ctx: StageContext): Promise<void> {
  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
  await ctx.write('pids', JSON.stringify({ worker: process.pid, child: child.pid }));
  if (ctx.params.busy) for (;;);
  await new Promise(() => setInterval(() => undefined, 1000));
}
