import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markedProcesses } from '../../../src/backends/lithops/marked-processes.js';

const SCRIPT = fileURLToPath(new URL('./guarded-spawner.ts', import.meta.url));
const NAME = 'RIGHTSIZER_TEST_GUARD';

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return check();
}

describe.skipIf(process.platform !== 'linux')('the orphan guard', () => {
  it('kills the processes carrying a guarded marker once rightsizer is killed -9, a tree that keeps forking too', async () => {
    const marker = `guard-${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, NAME, marker], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => d.includes('ready') && resolve()),
    );
    await new Promise((r) => setTimeout(r, 200));
    // The marked shell and its sleeps (tsx's own node is not marked: the marker is in the shell's env only).
    expect(markedProcesses(marker, NAME).length).toBeGreaterThan(3);
    child.kill('SIGKILL');
    const gone = await until(() => markedProcesses(marker, NAME).length === 0, 5000);
    // Whatever happens, leave nothing running for the next test.
    for (const pid of markedProcesses(marker, NAME)) process.kill(pid, 'SIGKILL');
    expect(gone).toBe(true);
  });
});
