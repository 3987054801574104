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

  it('--strict: the first line that cannot be imported as it is stops the import, writing nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rs-import-')), 'samples.jsonl');
    const r = runCli(['import', 'lithops-stats', fixture, '--out', out, '--strict']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/runs\.jsonl:2: 1 of 2 workers started before they were submitted/);
    expect(existsSync(out)).toBe(false);
  });
});
