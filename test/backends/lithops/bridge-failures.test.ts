/** The bridge failing: missing Python or Lithops (exit 2, naming the fix), and dying mid-stage. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RightsizerError } from '../../../src/core/errors.js';
import { VENV_PYTHON, bridgePid, localBackend, request, tagged, untilGone } from './helpers.js';

const FIX = 'bash scripts/setup-python.sh';

describe('LithopsBackend: the bridge cannot start', () => {
  it('names the fix when the Python is missing', async () => {
    const { backend } = localBackend({ python: '/nonexistent/bin/python' });
    const error = (await backend
      .runStage(request('stagefns:sleepy', 1))
      .catch((e: unknown) => e)) as RightsizerError;
    expect(error).toBeInstanceOf(RightsizerError);
    expect(error.exitCode).toBe(2);
    expect(error.oneLine()).toContain('/nonexistent/bin/python: not found');
    expect(error.oneLine()).toContain(FIX);
    await backend.close();
  });

  it('names the fix when the Python has no Lithops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rightsizer-bare-'));
    execFileSync('python3', ['-m', 'venv', '--without-pip', dir]);
    const { backend } = localBackend({ python: join(dir, 'bin', 'python') });
    const error = (await backend
      .runStage(request('stagefns:sleepy', 1))
      .catch((e: unknown) => e)) as RightsizerError;
    expect(error).toBeInstanceOf(RightsizerError);
    expect(error.exitCode).toBe(2);
    expect(error.oneLine()).toMatch(/Lithops is not installed for .*\(run bash scripts\/setup-python\.sh\)$/);
    expect(error.oneLine().split('\n')).toHaveLength(1);
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!existsSync(VENV_PYTHON))('LithopsBackend: the bridge dies mid-stage', () => {
  it('yields an error sample within 10 s and leaves no Lithops process behind', async () => {
    const { backend, tag } = localBackend();
    const running = backend.runStage(request('stagefns:hangs', 2));
    let pid: number | undefined;
    // Wait until Lithops' calls run (the tagged processes beyond the bridge itself).
    for (let i = 0; i < 200 && !(pid !== undefined && tagged(tag).length > 3); i++) {
      await new Promise((r) => setTimeout(r, 50));
      pid = bridgePid(tag);
    }
    expect(pid).toBeDefined();
    const killedAt = Date.now();
    process.kill(pid!, 'SIGKILL');
    const { sample } = await running;
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(sample.status).toBe('error');
    expect(sample.error).toContain('the Lithops bridge was killed by SIGKILL during the stage run');
    expect(await untilGone(tag)).toEqual([]);
    // The next run starts a new bridge.
    expect((await backend.runStage(request('stagefns:sleepy', 1))).sample.status).toBe('ok');
    await backend.close();
    expect(await untilGone(tag)).toEqual([]);
  });
});
