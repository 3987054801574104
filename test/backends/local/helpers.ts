/** Shared set-up of the local backend tests: a platform, a throw-away store, and a request. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlatformSchema, type Platform } from '../../../src/core/schemas.js';
import { CATALOG } from '../../../src/platforms/catalog.js';
import type { StageRunRequest } from '../../../src/backends/backend.js';
import { detectCgroups } from '../../../src/backends/local/cgroups.js';
import { LocalBackend, type LocalBackendOptions } from '../../../src/backends/local/index.js';

/** k8s prices CPU apart from memory, so tests can give a small memory a whole vCPU (fast cold starts). */
export const platform: Platform = PlatformSchema.parse(CATALOG.find((p) => p.id === 'k8s'));

export function stagePath(name: string): string {
  return fileURLToPath(new URL(`./stages/${name}.ts`, import.meta.url));
}

/** A fresh store folder, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rightsizer-local-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeBackend(dir: string, options: Partial<LocalBackendOptions> = {}): LocalBackend {
  return new LocalBackend({ platform, storeRoot: join(dir, 'store'), ...options });
}

let runs = 0;
export function request(stage: string, overrides: Partial<StageRunRequest> = {}): StageRunRequest {
  return {
    runId: `test-${process.pid}-${++runs}`,
    workflow: 'local-test',
    stage: { name: stage, run: stagePath(stage) },
    config: { workers: 1, memoryMB: 1024, vcpu: 1 },
    inputBytes: null,
    rep: 0,
    timeoutMs: 30_000,
    seed: 0,
    ...overrides,
  };
}

/** Why cgroup tests cannot run here, or null when this process may create cgroups. */
export const cgroupSkipReason: string | null = detectCgroups()
  ? null
  : 'no writable cgroup v1/v2 memory+cpu controllers (not Linux, not root, or cgroups not mounted)';
if (cgroupSkipReason) console.warn(`local backend cgroup tests skipped: ${cgroupSkipReason}`);

/** Alive and not a zombie (a killed orphan may linger as one until init reaps it). */
export { isAlive as alive } from '../../../src/backends/local/proc.js';

export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
