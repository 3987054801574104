import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  MARKER_VAR,
  killMarked,
  markedProcesses,
  sweepMarked,
} from '../../../src/backends/lithops/marked-processes.js';

/** A marked shell that forks a marked `sleep` every few ms, as Lithops' localhost runner starts calls. */
function spawner(marker: string): void {
  const child = spawn('sh', ['-c', 'while :; do sleep 30 & sleep 0.002; done'], {
    env: { ...process.env, [MARKER_VAR]: marker },
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe.skipIf(process.platform !== 'linux')('sweepMarked', () => {
  it('leaves none of a marked tree, though it forks while it is being killed', async () => {
    const marker = `sweep-${process.pid}-${Date.now()}`;
    spawner(marker);
    await settle();
    expect(markedProcesses(marker).length).toBeGreaterThan(3);
    expect(await sweepMarked(marker)).toBeGreaterThan(3);
    await settle();
    expect(markedProcesses(marker)).toEqual([]);
  });

  it('finds nothing to do for a marker nobody carries', async () => {
    expect(await sweepMarked(`none-${process.pid}`)).toBe(0);
    expect(killMarked(`none-${process.pid}`)).toBe(0);
  });
});
