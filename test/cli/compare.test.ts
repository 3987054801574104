import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rightsizer-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const WORDCOUNT = join(ROOT, 'examples', 'wordcount');

describe('optimize --compare defaults (wordcount, local backend)', () => {
  const samples = join(dir, 'samples.jsonl');
  const common = [
    'optimize',
    WORDCOUNT,
    '--objective',
    'cost',
    '--samples',
    samples,
    '--out',
    join(dir, 'plan.json'),
  ];

  it('measures the plan, the best profiled config and both defaults, and prints them side by side', () => {
    const r = runCli([...common, '--budget-runs', '5', '--compare', 'defaults']);
    expect(r.code, r.stderr).toBe(0);
    const rows = ['plan', 'best profiled', 'flexecutor default', 'Lithops AWS default'];
    for (const row of rows) expect(r.stdout).toMatch(new RegExp(`│ ${row}\\s`));
    expect(r.stdout).toMatch(/5 runs each/);
    expect(r.stdout).toMatch(/projected with aws-lambda-x86's prices/);
    expect(r.stdout).toMatch(/isolation (cgroup-v1|cgroup-v2|rlimit-watchdog)/);
    expect(r.stdout).toMatch(/1×2048, 1×2048/); // flexecutor: one worker of 2048 MB per stage
    expect(r.stdout).toMatch(/4×256, 1×256/); // Lithops: one worker per input object (8 files), capped by the space (4)
    // Interleaved: the first round already holds both defaults (drift falls on every row alike).
    const executions: string[] = [];
    const configs = new Map<string, string[]>();
    for (const line of readFileSync(samples, 'utf8').trim().split('\n')) {
      const x = JSON.parse(line) as {
        runId?: string;
        stage: string;
        config: { workers: number; memoryMB: number };
      };
      if (!x.runId?.startsWith('r-')) continue;
      const id = x.runId.slice(0, -(x.stage.length + 1));
      if (!configs.has(id)) executions.push(id);
      configs.set(id, [...(configs.get(id) ?? []), `${x.stage}:${x.config.workers}×${x.config.memoryMB}`]);
    }
    expect(executions).toHaveLength(20);
    const firstRound = executions.slice(0, 4).map((id) => configs.get(id)!.sort().join(' '));
    expect(firstRound).toContain('count:1×2048 merge:1×2048');
    expect(firstRound).toContain('count:4×256 merge:1×256');
  }, 90_000);

  it('--json adds the comparison to the plan document (stdout stays one JSON document)', () => {
    const r = runCli([
      ...common,
      '--budget-runs',
      '5',
      '--compare',
      'defaults',
      '--compare-reps',
      '1',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      schema: string;
      comparison: {
        schema: string;
        rows: { kind: string; executions: unknown[]; costUSD: { mean: number } | null }[];
        gains: { vs: string }[];
        isolation: string | null;
      };
    };
    expect(doc.schema).toBe('rightsizer.plan/v1');
    expect(doc.comparison.schema).toBe('rightsizer.comparison/v1');
    expect(doc.comparison.rows.map((x) => x.kind)).toEqual([
      'plan',
      'best-profiled',
      'flexecutor-default',
      'lithops-default',
    ]);
    for (const row of doc.comparison.rows) expect(row.executions).toHaveLength(1);
    expect(doc.comparison.gains.map((g) => g.vs)).toEqual([
      'best-profiled',
      'flexecutor-default',
      'lithops-default',
    ]);
  }, 60_000);

  it('refuses an unknown --compare value (exit 2)', () => {
    const r = runCli([...common, '--compare', 'everything']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--compare defaults/);
  });
});
