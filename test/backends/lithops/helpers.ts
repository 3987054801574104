/** What the lithops backend tests share: a localhost Lithops config, a private HOME/TMPDIR, a request. */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { StageRunRequest } from '../../../src/backends/backend.js';
import { LithopsBackend } from '../../../src/backends/lithops/index.js';
import type { LithopsBackendOptions } from '../../../src/backends/lithops/index.js';
import { markedProcesses } from '../../../src/backends/lithops/marked-processes.js';
import { PlatformSchema } from '../../../src/core/types.js';
import { CATALOG } from '../../../src/platforms/index.js';

export const platform = PlatformSchema.parse(CATALOG.find((p) => p.id === 'aws-lambda-x86'));
/** The stage functions the pytest suite maps too (python/tests/stages/stagefns.py). */
export const STAGES_DIR = fileURLToPath(new URL('../../../python/tests/stages', import.meta.url));
export const VENV_PYTHON = fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));
export const TAG_VAR = 'RIGHTSIZER_TEST_TAG';

export const LOCALHOST = {
  lithops: { backend: 'localhost', storage: 'localhost', data_cleaner: false, log_level: 'WARNING' },
};

/** A backend with its own HOME and TMPDIR and a tag in its environment to find its processes by. */
export function localBackend(over: Partial<LithopsBackendOptions> = {}): {
  backend: LithopsBackend;
  tag: string;
} {
  const home = mkdtempSync(join(tmpdir(), 'rightsizer-lithops-'));
  mkdirSync(join(home, 'tmp'));
  const tag = randomUUID();
  const backend = new LithopsBackend({
    platform,
    workflowDir: STAGES_DIR,
    lithopsConfig: LOCALHOST,
    python: VENV_PYTHON,
    env: { HOME: home, TMPDIR: join(home, 'tmp'), [TAG_VAR]: tag },
    ...over,
  });
  return { backend, tag };
}

export function request(run: string, workers: number, over: Partial<StageRunRequest> = {}): StageRunRequest {
  return {
    runId: `run-${run}-${workers}`,
    workflow: 'tests',
    stage: { name: run.split(':').pop() ?? run, run },
    config: { workers, memoryMB: 1769, vcpu: 1 },
    inputBytes: null,
    rep: 0,
    timeoutMs: 60_000,
    seed: 0,
    ...over,
  };
}

/** The processes still running with this tag (the bridge, Lithops' calls, anything they started). */
export function tagged(tag: string): number[] {
  return markedProcesses(tag, TAG_VAR);
}

export async function untilGone(tag: string, ms = 10_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = tagged(tag);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = tagged(tag);
  }
  return left;
}

/** The bridge's own pid among the tagged processes. */
export function bridgePid(tag: string): number | undefined {
  return tagged(tag).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('rightsizer_lithops.bridge');
    } catch {
      return false;
    }
  });
}
