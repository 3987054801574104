import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlanSchema } from '../../src/core/types.js';
import { platformYaml } from '../fixtures/platform-file.js';
import { makeSamples, toJsonl } from '../fixtures/synthetic-samples.js';
import { runCli } from './run-cli.js';

const CONFIGS = [
  { workers: 1, memoryMB: 512 },
  { workers: 4, memoryMB: 1024 },
  { workers: 8, memoryMB: 2048 },
  { workers: 16, memoryMB: 768 },
  { workers: 32, memoryMB: 1769 },
  { workers: 2, memoryMB: 3008 },
  { workers: 64, memoryMB: 4096 },
];

let dir: string;
let samplesPath: string;
let workflowPath: string;
/** `plan` of the samples along the workflow for an objective. */
const planArgs = (objective: string): string[] => [
  'plan',
  '--samples',
  samplesPath,
  '--workflow',
  workflowPath,
  '--objective',
  objective,
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-cli-'));
  samplesPath = join(dir, 'samples.jsonl');
  const samples = makeSamples(
    'demo',
    [
      { name: 'split', inputBytes: 2 ** 31, msPerMB: 20, setupMs: 300 },
      { name: 'crunch', inputBytes: 2 ** 30, msPerMB: 60, floorMBPerPartMB: 2 },
      { name: 'merge', inputBytes: 2 ** 27, msPerMB: 40, maxWorkers: 1 },
    ],
    CONFIGS,
  );
  writeFileSync(samplesPath, toJsonl(samples));
  workflowPath = join(dir, 'workflow.yaml');
  writeFileSync(
    workflowPath,
    [
      'schema: rightsizer.workflow/v1',
      'name: demo',
      'platform: aws-lambda-x86',
      'stages:',
      '  - name: split',
      '  - name: crunch',
      '    dependsOn: [split]',
      '  - name: merge',
      '    dependsOn: [crunch]',
      '    maxWorkers: 1',
    ].join('\n'),
  );
});

describe('rightsizer plan', () => {
  it('prints a plan per stage and the workflow totals', () => {
    const r = runCli(['plan', '--samples', samplesPath, '--workflow', workflowPath, '--objective', 'cost']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const stage of ['split', 'crunch', 'merge']) expect(r.stdout).toContain(stage);
    expect(r.stdout).toMatch(/Critical path: split → crunch → merge/);
  });

  it('--json prints exactly one plan/v1 document that honours maxWorkers and the memory floor', () => {
    const r = runCli([...planArgs('latency'), '--json']);
    expect(r.code).toBe(0);
    const plan = PlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.stages.map((s) => s.stage)).toEqual(['split', 'crunch', 'merge']);
    expect(plan.stages[2]!.config.workers).toBe(1);
    const crunch = plan.stages[1]!;
    const partMB = 2 ** 30 / crunch.config.workers / 2 ** 20;
    expect(crunch.config.memoryMB).toBeGreaterThanOrEqual(128 + 2 * partMB);
    expect(plan.predicted.latencyMs).toBeGreaterThan(0);
    expect(plan.predicted.latencyIntervalMs![0]).toBeLessThan(plan.predicted.latencyMs!);
  });

  it('plans several platforms side by side: a JSON array in the order given', () => {
    const r = runCli([
      'plan',
      '--samples',
      samplesPath,
      '--objective',
      'cost',
      '--platform',
      'aws-lambda-x86,aws-lambda-arm64,aws-lambda-x86',
      '--json',
    ]);
    expect(r.code).toBe(0);
    // A platform named twice is planned once.
    const plans = PlanSchema.array().parse(JSON.parse(r.stdout));
    expect(plans.map((p) => p.platform)).toEqual(['aws-lambda-x86', 'aws-lambda-arm64']);
    expect(plans[0]!.predicted.latencyMs).toBeNull();
    // The samples ran on x86: planning arm64 from them is said, once.
    expect(
      r.stderr.match(/warning: the samples ran on aws-lambda-x86; aws-lambda-arm64 is planned/g),
    ).toHaveLength(1);
  });

  it('warns of samples their platform cannot have run, and still plans', () => {
    const odd = join(dir, 'odd.jsonl');
    const lines = readFileSync(samplesPath, 'utf8').trim().split('\n');
    type Line = { runId: string; platform?: string; config: { memoryMB: number; vcpu?: number } };
    const edit = (l: string, f: (s: Line) => void) => {
      const s = JSON.parse(l) as Line;
      f(s);
      return JSON.stringify(s);
    };
    writeFileSync(
      odd,
      [
        ...lines,
        edit(lines[0]!, (s) => ((s.runId = 'odd-1'), (s.config.memoryMB = 100_000), delete s.config.vcpu)),
        edit(lines[0]!, (s) => ((s.runId = 'odd-2'), (s.config.vcpu = 50))),
        edit(lines[0]!, (s) => ((s.runId = 'odd-3'), (s.platform = 'nope-platform'))),
      ].join('\n') + '\n',
    );
    const r = runCli(['plan', '--samples', odd, '--objective', 'cost']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /1 sample\(s\) of stage "\S+" with memoryMB outside aws-lambda-x86's 128–10240 MB \(100000\)/,
    );
    expect(r.stderr).toMatch(
      /1 sample\(s\) of stage "\S+" with vcpu above what aws-lambda-x86 gives at that memory \(50\)/,
    );
    expect(r.stderr).toMatch(/1 sample\(s\) name platform "nope-platform", which is not a known one/);
    expect(runCli(['plan', '--samples', samplesPath, '--objective', 'cost']).stderr).not.toMatch(
      /sample\(s\)/,
    );
  });

  it('says how many error samples were left out of the fit', () => {
    const withErrors = join(dir, 'errors.jsonl');
    const lines = readFileSync(samplesPath, 'utf8').trim().split('\n');
    const failed = (l: string, i: number) =>
      JSON.stringify({
        ...JSON.parse(l),
        runId: `failed-${i}`,
        status: 'error',
        error: 'boom',
        makespanMs: null,
        workers: [],
      });
    writeFileSync(withErrors, [...lines, failed(lines[0]!, 0), failed(lines[1]!, 1)].join('\n') + '\n');
    const stage = (JSON.parse(lines[0]!) as { stage: string }).stage;
    const r = runCli(['plan', '--samples', withErrors, '--objective', 'cost']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: stage ${stage}: 2 error sample(s) left out of the fit`);
    expect(runCli(['plan', '--samples', samplesPath, '--objective', 'cost']).stderr).not.toMatch(
      /error sample/,
    );
  });

  it('a platform with no feasible config does not hold back the plans of the others (exit 3)', () => {
    const pf = join(dir, 'instant.yaml');
    // A 1 ms timeout: no config of any stage finishes in time there.
    writeFileSync(pf, platformYaml('instant').replace('timeoutMs: 300000', 'timeoutMs: 1'));
    const args = ['plan', '--samples', samplesPath, '--platform-file', pf, '--objective', 'cost'];
    const r = runCli([...args, '--platform', 'aws-lambda-x86,instant', '--json']);
    expect(r.code).toBe(3);
    const plans = PlanSchema.array().parse(JSON.parse(r.stdout));
    expect(plans.map((p) => p.platform)).toEqual(['aws-lambda-x86']);
    expect(r.stderr).toMatch(/instant: no plan: stage \S+: no config in its space on instant is feasible/);
    // Alone, it is the one error it always was.
    const alone = runCli([...args, '--platform', 'instant', '--json']);
    expect(alone.code).toBe(3);
    expect(alone.stdout).toBe('');
    expect(alone.stderr).toMatch(/no config in its space on instant is feasible/);
  });

  it("samples naming no platform or vCPU ran on the workflow's platform, whatever is planned first", () => {
    const bare = join(dir, 'bare.jsonl');
    const lines = readFileSync(samplesPath, 'utf8').trim().split('\n');
    writeFileSync(
      bare,
      lines
        .map((l) => {
          const { platform: _p, ...s } = JSON.parse(l) as {
            platform?: string;
            config: Record<string, number>;
          };
          delete s.config.vcpu;
          return JSON.stringify(s);
        })
        .join('\n'),
    );
    const plansFor = (platforms: string) => {
      const r = runCli([
        'plan',
        '--samples',
        bare,
        '--workflow',
        workflowPath,
        '--platform',
        platforms,
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      return Object.fromEntries(
        PlanSchema.array()
          .parse(JSON.parse(r.stdout))
          .map((p) => [p.platform, p.stages]),
      );
    };
    expect(plansFor('k8s,aws-lambda-x86')).toEqual(plansFor('aws-lambda-x86,k8s'));
  });

  it('a deadline plan states its confidence and meets the deadline on the upper bound', () => {
    const args = planArgs('deadline:120s');
    const r = runCli([...args, '--json']);
    expect(r.code).toBe(0);
    const plan = PlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.objective).toMatchObject({ kind: 'deadline', deadlineMs: 120_000 });
    expect(plan.confidence).toBeGreaterThanOrEqual(0.9);
    // The table says what the probability is of, and that one run may still pass the deadline.
    expect(runCli(args).stdout).toMatch(
      /Deadline 2\.0 min: the mean latency meets it with probability (> 99|9\d) %/,
    );
    expect(plan.predicted.latencyMs).toBeLessThanOrEqual(120_000);
  });

  it('an impossible deadline exits 3 with the closest plan and the miss', () => {
    const r = runCli([...planArgs('deadline:10ms'), '--json']);
    expect(r.code).toBe(3);
    const plan = PlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.feasible).toBe(false);
    expect(plan.miss?.latencyMs).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/no plan meets deadline:10ms/);
  });

  it('an infeasible deadline names a cheaper plan about as likely to meet it', () => {
    // Deadlines just past what the plans can meet with 90 % confidence: the closest plan there
    // buys its last points of probability dearly (which deadline that is, is the model's call).
    const note =
      /the closest plan has a (\d+) % chance to meet the deadline; the plan with split \d+ × \d+ MB, crunch \d+ × \d+ MB, merge 1 × \d+ MB has (\d+) % and costs \$([\d.]+) instead of \$([\d.]+)/;
    const tried = ['8s', '8.5s', '9s', '9.5s', '10s'].map((d) =>
      runCli([...planArgs(`deadline:${d}`), '--json']),
    );
    const r = tried.find((t) => t.code === 3 && note.test(t.stderr));
    expect(r, tried.map((t) => t.stderr).join('\n')).toBeDefined();
    const plan = PlanSchema.parse(JSON.parse(r!.stdout));
    const m = note.exec(r!.stderr);
    const [closest, alt, altCost, cost] = m!.slice(1).map(Number) as [number, number, number, number];
    expect(closest).toBe(Math.round(plan.confidence! * 100));
    expect(alt).toBeGreaterThanOrEqual(closest - 5);
    expect(altCost).toBeLessThan(cost * 0.95);
    expect(cost).toBeCloseTo(plan.predicted.costUSD, 3);
  });

  it('without --workflow a budget bounds the whole run, its stages taken one after another', () => {
    const cheapest = PlanSchema.parse(
      JSON.parse(runCli(['plan', '--samples', samplesPath, '--objective', 'cost', '--json']).stdout),
    );
    // Over the cheapest run, but under what three stages each allowed the budget would cost.
    const budget = 1.3 * cheapest.predicted.costUSD;
    const r = runCli(['plan', '--samples', samplesPath, '--objective', `budget:${budget}`, '--json']);
    expect(r.code).toBe(0);
    const plan = PlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.predicted.costUSD).toBeLessThanOrEqual(budget);
    expect(plan.stages.reduce((a, s) => a + s.predicted.costUSD, 0)).toBeCloseTo(plan.predicted.costUSD, 6);
    expect(plan.predicted.criticalPath).toEqual(['split', 'crunch', 'merge']);
    expect(r.stderr).toMatch(
      /no workflow file: the budget bounds the whole run, its stages taken one after another/,
    );
  });

  it('runs from any working directory', () => {
    const r = runCli(['plan', '--samples', 'samples.jsonl', '--workflow', '.', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(PlanSchema.safeParse(JSON.parse(r.stdout)).success).toBe(true);
  });
});

describe('rightsizer train and predict', () => {
  it('train prints each stage and phase with the family chosen and the families tried', () => {
    const r = runCli(['train', '--samples', samplesPath]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Stage crunch/);
    expect(r.stdout).toMatch(/compute/);
    expect(r.stdout).toMatch(/families tried/);
  });

  it('train --json lists a summary per stage', () => {
    const r = runCli(['train', '--samples', samplesPath, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { stages: { stage: string; phases: unknown[] }[] };
    expect(doc.stages.map((s) => s.stage)).toEqual(['split', 'crunch', 'merge']);
  });

  it('predict answers a what-if with intervals', () => {
    const predictCrunch = (config: string) => {
      const r = runCli([
        'predict',
        '--samples',
        samplesPath,
        '--stage',
        'crunch',
        '--config',
        config,
        '--json',
      ]);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as {
        makespanMs: number;
        makespanIntervalMs: [number, number];
        costUSD: number;
        config: { vcpu: number };
      };
    };
    const doc = predictCrunch('workers=8,memoryMB=2048');
    expect(doc.config.vcpu).toBeCloseTo(2048 / 1769, 9);
    expect(doc.makespanIntervalMs[0]).toBeLessThan(doc.makespanMs);
    expect(doc.makespanIntervalMs[1]).toBeGreaterThan(doc.makespanMs);
    expect(doc.costUSD).toBeGreaterThan(0);
    // The same interval as a plan prints for this config.
    const plan = runCli(['plan', '--samples', samplesPath, '--objective', 'latency', '--json']);
    const crunch = PlanSchema.parse(JSON.parse(plan.stdout)).stages.find((s) => s.stage === 'crunch')!;
    const same = predictCrunch(`workers=${crunch.config.workers},memoryMB=${crunch.config.memoryMB}`);
    expect(same.makespanMs).toBeCloseTo(crunch.predicted.latencyMs, 6);
    expect(same.makespanIntervalMs[0]).toBeCloseTo(crunch.predicted.latencyIntervalMs[0], 6);
    expect(same.makespanIntervalMs[1]).toBeCloseTo(crunch.predicted.latencyIntervalMs[1], 6);
    // The measured makespan at this config (sampled) is about 8 × 128 MiB partitions × 60 ms/MB / 1 vCPU.
    expect(doc.makespanMs).toBeGreaterThan(5000);
    expect(doc.makespanMs).toBeLessThan(15000);
  });

  it('predict calls a config infeasible when a run would likely pass the stage timeout, as plan does', () => {
    const tight = join(dir, 'tight.yaml');
    writeFileSync(
      tight,
      readFileSync(workflowPath, 'utf8').replace(
        '    dependsOn: [split]',
        '    dependsOn: [split]\n    timeoutMs: 4000',
      ),
    );
    const at = (config: string, json: boolean) =>
      runCli([
        'predict',
        ...['--samples', samplesPath, '--workflow', tight, '--stage', 'crunch', '--config', config],
        ...(json ? ['--json'] : []),
      ]);
    // About 8 s at 8 × 2048 MB (the test above): past a 4 s timeout.
    const late = at('workers=8,memoryMB=2048', true);
    expect(late.code).toBe(0);
    expect(JSON.parse(late.stdout)).toMatchObject({ feasible: false });
    expect(at('workers=8,memoryMB=2048', false).stdout).toMatch(
      /INFEASIBLE: more than 1 run in 10 would pass the 4\.00 s timeout/,
    );
    expect(JSON.parse(at('workers=64,memoryMB=2048', true).stdout)).toMatchObject({ feasible: true });
  });

  it("uses the workflow's own samples when a file holds another workflow's too, and refuses to mix them without one", () => {
    // Another workflow's "split", ten times slower: mixed in, it would drag split's model.
    const other = readFileSync(samplesPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((x) => x.stage === 'split')
      .map((x) => ({
        ...x,
        runId: `other-${String(x.runId)}`,
        workflow: 'other',
        makespanMs: (x.makespanMs as number) * 10,
        totalMs: (x.totalMs as number) * 10,
      }));
    const mixed = join(dir, 'mixed.jsonl');
    writeFileSync(
      mixed,
      readFileSync(samplesPath, 'utf8') + other.map((x) => JSON.stringify(x)).join('\n') + '\n',
    );
    const args = ['--objective', 'cost', '--json'];
    const alone = runCli(['plan', '--samples', samplesPath, '--workflow', workflowPath, ...args]);
    const own = runCli(['plan', '--samples', mixed, '--workflow', workflowPath, ...args]);
    expect(own.code).toBe(0);
    expect(own.stderr).toMatch(/sample\(s\) of other workflows \(other\) left out/);
    expect(JSON.parse(own.stdout)).toEqual(JSON.parse(alone.stdout));
    const unnamed = runCli(['plan', '--samples', mixed, ...args]);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stdout).toBe('');
    expect(unnamed.stderr).toMatch(/workflows demo, other share stage name\(s\) split.*--workflow/);
    // Imported profiles have no workflow file: --workflow NAME picks a workflow of the samples.
    const other1 = runCli(['plan', '--samples', mixed, '--workflow', 'other', ...args]);
    expect(other1.code).toBe(0);
    const plan = JSON.parse(other1.stdout) as { workflow: string; stages: { stage: string }[] };
    expect(plan.workflow).toBe('other');
    expect(plan.stages.map((s) => s.stage)).toEqual(['split']);
  });

  it('predict names the stages it has samples of when asked for another', () => {
    const r = runCli([
      'predict',
      '--samples',
      samplesPath,
      '--stage',
      'nope',
      '--config',
      'workers=8,memoryMB=2048',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--stage: .* has no samples of stage "nope" \(stages with samples: split, crunch, merge\)/,
    );
  });
});
