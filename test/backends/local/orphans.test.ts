import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCgroups, reapStaleCgroups } from '../../../src/backends/local/cgroups.js';
import { alive, stagePath, tempDir, waitUntil } from './helpers.js';

describe('local backend after kill -9 of rightsizer', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('leaves no worker (nor its child) running, even one busy in synchronous code', async () => {
    const store = join(t.dir, 'store');
    const host = spawn(
      process.execPath,
      [
        '--import',
        import.meta.resolve('tsx'),
        fileURLToPath(new URL('./run-and-wait.ts', import.meta.url)),
        store,
        stagePath('hang'),
        'auto',
        JSON.stringify({ busy: true }),
      ],
      { stdio: 'ignore' },
    );
    const pidsFile = join(store, 'runs/hang/orphan-check/pids');
    expect(await waitUntil(() => existsSync(pidsFile), 15_000)).toBe(true);
    const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as { worker: number; child: number };
    expect(alive(pids.worker)).toBe(true);
    host.kill('SIGKILL');
    expect(await waitUntil(() => !alive(pids.worker) && !alive(pids.child), 3000)).toBe(true);

    // The dead host's cgroups (if any) are reaped by the next backend that starts.
    const cgroups = detectCgroups();
    if (cgroups) {
      await reapStaleCgroups(cgroups);
      const left = readFileSync(join(cgroups.memoryParent, 'cgroup.procs'), 'utf8');
      expect(left).toBe('');
      expect(existsSync(join(cgroups.memoryParent, `${host.pid}.`))).toBe(false);
    }
  });
});
