/**
 * Where a profile remembers what each run wrote: `<samples dir>/outputs/<runId>.json`, written
 * (atomically, by rename) before the run's sample is appended. So whenever the samples file holds
 * a run, its output keys are on disk too, and a resumed profile feeds downstream stages the same
 * upstream outputs without running the upstream stage again.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Materialised } from './stage-input.js';

export function manifestPath(samplesPath: string, runId: string): string {
  return join(dirname(samplesPath), 'outputs', `${runId}.json`);
}

export async function writeManifest(samplesPath: string, runId: string, m: Materialised): Promise<void> {
  const path = manifestPath(samplesPath, runId);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify(m));
  await rename(`${path}.tmp`, path);
}

export async function readManifest(samplesPath: string, runId: string): Promise<Materialised | null> {
  try {
    return JSON.parse(await readFile(manifestPath(samplesPath, runId), 'utf8')) as Materialised;
  } catch {
    return null;
  }
}
