import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const fixture = new URL('../fixtures/lithops/runs.jsonl', import.meta.url).pathname;

describe('rightsizer import --out', () => {
  it('appends to an existing samples file, keeps its lines, and skips runs it already holds', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rs-import-')), 'samples.jsonl');
    const first = runCli(['import', 'lithops-stats', fixture, '--out', out]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/wrote 4 samples/);
    // A run from elsewhere, already in the file, must survive the next import.
    const kept = JSON.stringify({
      ...JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!),
      runId: 'kept-1',
    });
    writeFileSync(out, readFileSync(out, 'utf8') + kept + '\n');
    const again = runCli(['import', 'lithops-stats', fixture, '--out', out]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/appended 0 samples to .* \(4 already there\)/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines).toContain(kept);
  });

  it('says which runs it imported as error samples, and why, without refusing them under --strict', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-import-'));
    const input = join(dir, 'runs.jsonl');
    // Worker stamps but no worker_func_* keys: Lithops drops those when the call raised.
    const future = {
      host_submit_tstamp: 100,
      worker_start_tstamp: 100.3,
      worker_end_tstamp: 101.5,
      host_status_done_tstamp: 101.7,
    };
    const run = (stage: string, futures: object[]) =>
      JSON.stringify({
        schema: 'rightsizer.lithops-run/v1',
        workflow: 'w',
        stage,
        config: { workers: futures.length, memoryMB: 1024 },
        futures,
      });
    const good = { ...future, worker_func_start_tstamp: 100.4, worker_func_end_tstamp: 101.4 };
    writeFileSync(input, `${run('a', [future])}\n${run('b', [good])}\n`);
    const out = join(dir, 'samples.jsonl');
    const r = runCli(['import', 'lithops-stats', input, '--out', out, '--strict']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /note: 1 of 2 runs imported as error samples, left out of fitting \(first, run lithops-\w+: worker 0: no worker_func_\* stats/,
    );
    const statuses = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { status: string }).status);
    expect(statuses).toEqual(['error', 'ok']);
  });

  it('--strict: the first line that cannot be imported as it is stops the import, writing nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rs-import-')), 'samples.jsonl');
    const r = runCli(['import', 'lithops-stats', fixture, '--out', out, '--strict']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/runs\.jsonl:2: 1 of 2 workers started before they were submitted/);
    expect(existsSync(out)).toBe(false);
  });
});
