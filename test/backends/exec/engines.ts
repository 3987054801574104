/** Test engines (tiny node scripts in test/fixtures/exec) and what the backend tests share. */
import { readFileSync } from 'node:fs';
import type { StageRunRequest } from '../../../src/backends/backend.js';
import { PlatformSchema } from '../../../src/core/types.js';
import { CATALOG } from '../../../src/platforms/index.js';

export const platform = PlatformSchema.parse(CATALOG.find((p) => p.id === 'aws-lambda-x86'));

/** Single-quotes every word, as a user would on a shell line. */
const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** The --exec line that runs the fixture engine `name` under this very node. */
export function engine(name: string, ...args: string[]): string {
  const script = new URL(`../../fixtures/exec/${name}`, import.meta.url).pathname;
  return [process.execPath, script, ...args].map(quote).join(' ');
}

export function request(over: Partial<StageRunRequest> = {}): StageRunRequest {
  return {
    runId: 'run-1',
    workflow: 'wf',
    stage: { name: 'rebin' },
    config: { workers: 3, memoryMB: 1024, vcpu: 1024 / 1769 },
    inputBytes: 1_000_000,
    rep: 2,
    timeoutMs: 5000,
    seed: 7,
    ...over,
  };
}

/** Whether `pid` still runs; a zombie awaiting a lazy init does not. */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}
