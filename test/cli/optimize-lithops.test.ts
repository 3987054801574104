/** `rightsizer optimize examples/lithops` end to end on Lithops' localhost backend, as a user types it. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlanSchema, SampleSchema } from '../../src/core/types.js';
import { BIN, ROOT } from './run-cli.js';

const VENV_PYTHON = join(ROOT, '.venv/bin/python');

describe.skipIf(!existsSync(VENV_PYTHON))(
  'rightsizer optimize on Lithops localhost (needs .venv: scripts/setup-python.sh)',
  () => {
    it('profiles the Python word count, trains, plans and saves the plan', () => {
      const home = mkdtempSync(join(tmpdir(), 'rs-optimize-lithops-'));
      mkdirSync(join(home, 'tmp'));
      const samples = join(home, 'samples.jsonl');
      const out = join(home, 'plan.json');
      const r = spawnSync(
        process.execPath,
        [
          BIN,
          'optimize',
          'examples/lithops',
          '--objective',
          'cost',
          '--samples',
          samples,
          '--out',
          out,
          '--json',
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, HOME: home, TMPDIR: join(home, 'tmp'), NO_COLOR: '1' },
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const plan = PlanSchema.parse(JSON.parse(r.stdout));
      expect(plan.stages.map((s) => s.stage)).toEqual(['count']);
      expect(plan.stages[0]!.config.workers).toBeLessThanOrEqual(4);
      expect(PlanSchema.parse(JSON.parse(readFileSync(out, 'utf8'))).stages).toHaveLength(1);
      const lines = readFileSync(samples, 'utf8')
        .trim()
        .split('\n')
        .map((l) => SampleSchema.parse(JSON.parse(l)));
      expect(lines.length).toBeGreaterThanOrEqual(4);
      for (const s of lines) {
        expect(s.backend).toBe('lithops');
        if (s.status === 'ok') expect(s.workers).toHaveLength(s.config.workers);
      }
      // localhost ignores memory and CPU, and says so once.
      expect(r.stderr.match(/lithops localhost: memory and vCPU have no effect/g)).toHaveLength(1);
      // Lithops' own records are kept beside the samples, and import back to the same samples.
      const records = join(home, 'samples.lithops-runs.jsonl');
      expect(readFileSync(records, 'utf8').trim().split('\n')).toHaveLength(lines.length);
      const imported = spawnSync(process.execPath, [BIN, 'import', 'lithops-stats', records], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(imported.status, imported.stderr).toBe(0);
      const back = imported.stdout
        .trim()
        .split('\n')
        .map((l) => SampleSchema.parse(JSON.parse(l)));
      expect(back.map((s) => [s.runId, s.status, s.makespanMs])).toEqual(
        lines.map((s) => [s.runId, s.status, s.makespanMs]),
      );
    });
  },
);
