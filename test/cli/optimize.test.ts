import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stageByName } from '../../bench/stages.js';
import { PlanSchema } from '../../src/core/types.js';
import { ROOT, runCli } from './run-cli.js';

/** The exec test engines of test/fixtures/exec. */
const execFixture = (name: string): string => join(ROOT, 'test', 'fixtures', 'exec', name);

const dir = mkdtempSync(join(tmpdir(), 'rightsizer-optimize-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const WORDCOUNT = join(ROOT, 'examples', 'wordcount');
const countLines = (f: string): number =>
  readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim()).length;

/** A one-stage sim workflow (tiny-map) in `at`, with its scenario file; returns that file's path. */
function simWorkflow(at: string, name: string): string {
  const scenario = join(at, 'scenario.json');
  writeFileSync(scenario, JSON.stringify(stageByName('tiny-map').scenario));
  writeFileSync(join(at, 'workflow.yaml'), `name: ${name}\nbackend: sim\nstages:\n  - name: tiny-map\n`);
  return scenario;
}

/** An exec workflow `name` of independent stages (1 MB of input each) in a new folder under `dir`. */
function execWorkflow(name: string, stages: readonly string[]): string {
  const at = mkdtempSync(join(dir, `${name}-`));
  const list = stages.map((st) => `  - name: ${st}\n    inputBytes: 1000000\n`).join('');
  writeFileSync(join(at, 'workflow.yaml'), `name: ${name}\nbackend: exec\nstages:\n${list}`);
  return at;
}

/** The stage.mjs test engine, logging its requests in `at`, with its flags (e.g. fail=a). */
const stageEngine = (at: string, flags: string): string =>
  `node ${JSON.stringify(execFixture('stage.mjs'))} ${JSON.stringify(join(at, 'requests.jsonl'))} ${flags}`;

describe('optimize --dry-run', () => {
  it('prints the sparse start of every stage and what it will take, running nothing', () => {
    const samples = join(dir, 'dry.jsonl');
    const r = runCli(['optimize', WORDCOUNT, '--objective', 'cost', '--dry-run', '--samples', samples]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^count /m);
    expect(r.stdout).toMatch(/^merge /m);
    expect(r.stdout).toMatch(/sparse start: 9 runs/);
    expect(r.stdout).toMatch(/adaptive adds at most 10 runs per stage/);
  });

  it('says why an input size is unknown before setup has made the input', () => {
    const at = mkdtempSync(join(dir, 'unmade-'));
    writeFileSync(join(at, 'gen.js'), 'export default async () => {};\n');
    writeFileSync(join(at, 'stage.js'), 'export default async () => {};\n');
    writeFileSync(
      join(at, 'workflow.yaml'),
      'name: unmade\nsetup: ./gen.js\nstages:\n  - name: a\n    run: ./stage.js\n    input: { prefix: in/ }\n' +
        '  - name: b\n    run: ./stage.js\n    input: { from: a }\n    dependsOn: [a]\n',
    );
    const r = runCli(['optimize', at, '--objective', 'cost', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^a {2}\(input size unknown: its input is made by the workflow's setup/m);
    expect(r.stdout).toMatch(/^b {2}\(input size unknown: its input is a's output/m);
    expect(r.stdout).toMatch(/its time and cost are predicted once every stage's input size is known/);
    expect(r.stdout).not.toMatch(/predicted by unknown/);
    // An engine's stage that names no input and no size.
    const bare = mkdtempSync(join(dir, 'bare-'));
    writeFileSync(join(bare, 'workflow.yaml'), 'name: bare\nbackend: exec\nstages:\n  - name: a\n');
    const e = runCli(['optimize', bare, '--objective', 'cost', '--dry-run', '--exec', 'node engine.mjs']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(
      /^a {2}\(input size unknown: the stage names no input and gives no inputBytes\)/m,
    );
  });

  it('predicts time and cost from the sim truth on the sim backend', () => {
    const scenario = simWorkflow(dir, 'sim-one');
    const r = runCli(['optimize', dir, '--objective', 'cost', '--dry-run', '--scenario', scenario, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { schema: string; stages: { source: string; costUSD: number }[] };
    expect(doc.schema).toBe('rightsizer.dry-run/v1');
    expect(doc.stages[0]!.source).toBe('sim truth');
    expect(doc.stages[0]!.costUSD).toBeGreaterThan(0);
  });
});

describe('optimize when the workflow cannot run', () => {
  it('exits 1 saying how the runs of a one-stage workflow failed', () => {
    const at = execWorkflow('failing', ['a']);
    const fail = `node ${JSON.stringify(execFixture('reply.mjs'))} "" 3 "boom: no such bucket"`;
    const r = runCli(['optimize', at, '--objective', 'cost', '--exec', fail]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /stage a: no run succeeded, so there is no model to plan it with \(of its 5 runs, 5 failed with an error \(first: .*boom: no such bucket/,
    );
  });
});

describe('optimize when some configs fail', () => {
  it('never runs a config again once it failed, never plans it, and says how many runs failed', () => {
    const at = execWorkflow('failsome', ['a']);
    const samples = join(at, 'samples.jsonl');
    const engine = stageEngine(at, 'failfrom=40');
    const r = runCli([
      'optimize',
      at,
      '--objective',
      'latency',
      '--exec',
      engine,
      '--samples',
      samples,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const runs = readFileSync(samples, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; config: { workers: number; memoryMB: number } });
    const failed = runs.filter((s) => s.status === 'error');
    expect(failed.length).toBeGreaterThan(0);
    const keys = failed.map((s) => `${s.config.workers}x${s.config.memoryMB}`);
    expect(new Set(keys).size).toBe(keys.length);
    const plan = JSON.parse(r.stdout) as { stages: { config: { workers: number; memoryMB: number } }[] };
    expect(keys).not.toContain(`${plan.stages[0]!.config.workers}x${plan.stages[0]!.config.memoryMB}`);
    expect(r.stderr).toMatch(
      new RegExp(
        `${failed.length} of ${runs.length} runs failed with an error and are left out of the fit .*boom: no such bucket`,
      ),
    );
  });
});

describe('profile when no run of a stage succeeds', () => {
  it('profiles the other stages, keeps every run, and exits 1 saying how they failed', () => {
    const at = execWorkflow('half', ['a', 'b']);
    const samples = join(at, 'samples.jsonl');
    // Stage a fails, stage b (independent of it) runs.
    const engine = stageEngine(at, 'fail=a');
    const args = ['profile', at, '--design', 'grid', '--configs', 'w=2,m=1024', '--exec', engine];
    const r = runCli([...args, '--samples', samples]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /stage a: no run succeeded, so there is nothing to train on \(the runs are kept in .*samples\.jsonl\).*of its 2 runs, 2 failed with an error \(first: .*boom: no such bucket/,
    );
    const lines = readFileSync(samples, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { stage: string; status: string });
    expect(lines.filter((l) => l.stage === 'a' && l.status === 'error')).toHaveLength(2);
    expect(lines.filter((l) => l.stage === 'b' && l.status === 'ok')).toHaveLength(2);
  });
});

describe('run when a stage with no downstream stage fails', () => {
  it('runs the others, prints the table, keeps every run and exits 1 naming the failure', () => {
    const at = execWorkflow('half', ['a', 'b']);
    const config = { workers: 2, memoryMB: 1024, vcpu: 1024 / 1769 };
    const stage = (name: string) => ({
      stage: name,
      inputBytes: 1_000_000,
      config,
      predicted: { latencyMs: 1000, latencyIntervalMs: [800, 1200], costUSD: 0.0001 },
      model: { family: 'amdahl', cvError: 0.05, configs: 6, runs: 18 },
    });
    writeFileSync(
      join(at, 'plan.json'),
      JSON.stringify({
        schema: 'rightsizer.plan/v1',
        workflow: 'half',
        platform: 'aws-lambda-x86',
        feasible: true,
        objective: { kind: 'cost', percentile: null },
        stages: [stage('a'), stage('b')],
        predicted: { latencyMs: 1000, latencyIntervalMs: [800, 1200], costUSD: 0.0002, criticalPath: ['a'] },
        pareto: [],
      }),
    );
    const samples = join(at, 'samples.jsonl');
    const engine = stageEngine(at, 'fail=a');
    const r = runCli(['run', at, '--plan', join(at, 'plan.json'), '--exec', engine, '--samples', samples]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/a \(1 failed\)/);
    expect(r.stderr).toMatch(/1 run of 2 failed; the last, stage a \(error: .*boom: no such bucket/);
    const lines = readFileSync(samples, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
  });
});

describe('optimize on the sim backend', () => {
  it('prints only the plan with --json, saves it, and states P(within ε)', () => {
    const scenario = simWorkflow(dir, 'sim-one');
    const out = join(dir, 'sim-plan.json');
    const r = runCli([
      'optimize',
      dir,
      '--objective',
      'cost',
      '--scenario',
      scenario,
      '--json',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      schema: string;
      profiling: { runs: number; probabilityWithinEpsilon: number };
      pareto: unknown[];
    };
    expect(plan.schema).toBe('rightsizer.plan/v1');
    expect(plan.profiling.runs).toBeLessThanOrEqual(10);
    expect(plan.profiling.probabilityWithinEpsilon).toBeGreaterThanOrEqual(0);
    expect(plan.pareto.length).toBeGreaterThan(3);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(plan);
    expect(countLines(join(dir, '.rightsizer', 'samples.jsonl'))).toBe(plan.profiling.runs);
  });

  it('run --seed reproduces an execution, and the next execution draws afresh', () => {
    const sub = mkdtempSync(join(dir, 'seeded-'));
    const scenario = simWorkflow(sub, 'sim-seed');
    const plan = join(sub, 'plan.json');
    const opt = runCli([
      'optimize',
      sub,
      '--objective',
      'cost',
      '--scenario',
      scenario,
      '--json',
      '--out',
      plan,
    ]);
    expect(opt.code, opt.stderr).toBe(0);
    const runArgs = ['run', sub, '--plan', plan, '--scenario', scenario];
    const makespans = (file: string, times: number): number[] => {
      for (let i = 0; i < times; i++) {
        const r = runCli([...runArgs, '--seed', '5', '--samples', file]);
        expect(r.code, r.stderr).toBe(0);
      }
      return readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { makespanMs: number }).makespanMs);
    };
    // --json: the run report, with its schema; profile's summary likewise.
    const report = runCli([...runArgs, '--samples', join(sub, 'c.jsonl'), '--json']);
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({
      schema: 'rightsizer.run-report/v1',
      workflow: 'sim-seed',
    });
    const prof = runCli([
      'profile',
      sub,
      '--scenario',
      scenario,
      '--samples',
      join(sub, 'd.jsonl'),
      '--json',
    ]);
    expect(prof.code, prof.stderr).toBe(0);
    expect(JSON.parse(prof.stdout)).toMatchObject({ schema: 'rightsizer.profile-report/v1', ran: 10 });
    const [a1, a2] = makespans(join(sub, 'a.jsonl'), 2);
    const [b1] = makespans(join(sub, 'b.jsonl'), 1);
    expect(b1).toBe(a1);
    expect(a2).not.toBe(a1);
  });

  it('--confidence sets how sure a deadline plan must be, as in plan', () => {
    const sub = mkdtempSync(join(dir, 'confidence-'));
    const scenario = simWorkflow(sub, 'sim-confidence');
    const args = ['optimize', sub, '--objective', 'deadline:1.5s', '--scenario', scenario, '--json'];
    for (const level of [0.99, 0.6]) {
      const r = runCli([...args, '--confidence', String(level), '--samples', join(sub, `${level}.jsonl`)]);
      expect(r.code, r.stderr).toBe(0);
      const plan = JSON.parse(r.stdout) as { feasible: boolean; confidence: number };
      expect(plan.feasible).toBe(true);
      expect(plan.confidence).toBeGreaterThanOrEqual(level);
    }
    const bad = runCli([...args, '--confidence', '2', '--samples', join(sub, 'bad.jsonl')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--confidence: "2" is out of range/);
  });

  it('run refuses a plan the platform cannot run, or made for another workflow, and records nothing', () => {
    const sub = mkdtempSync(join(dir, 'badplan-'));
    const scenario = simWorkflow(sub, 'sim-bad');
    const good = join(sub, 'plan.json');
    const opt = runCli(['optimize', sub, '--objective', 'cost', '--scenario', scenario, '--out', good]);
    expect(opt.code, opt.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(good, 'utf8')) as {
      workflow: string;
      stages: { config: { memoryMB: number; vcpu: number } }[];
    };
    const variants: [string, (p: typeof plan) => void, RegExp][] = [
      [
        'memory',
        (p) => (p.stages[0]!.config.memoryMB = 20_000),
        /memoryMB 20000 is not offered by aws-lambda-x86 \(128–10240/,
      ],
      ['vcpu', (p) => (p.stages[0]!.config.vcpu = 3), /vcpu 3 is not what \d+ MB buys on aws-lambda-x86/],
      ['workflow', (p) => (p.workflow = 'other'), /the plan is for workflow "other", not "sim-bad"/],
    ];
    for (const [name, edit, message] of variants) {
      const bad = structuredClone(plan);
      edit(bad);
      const file = join(sub, `${name}.json`);
      writeFileSync(file, JSON.stringify(bad));
      const samples = join(sub, `${name}.jsonl`);
      const r = runCli(['run', sub, '--plan', file, '--scenario', scenario, '--samples', samples]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')[0]).toMatch(message);
      expect(existsSync(samples) ? readFileSync(samples, 'utf8') : '').toBe('');
    }
    // A hand-written plan may round the vCPU share or leave it out: it runs at the platform's.
    const exact = plan.stages[0]!.config.vcpu;
    const rounded = structuredClone(plan);
    rounded.stages[0]!.config.vcpu = Number(exact.toPrecision(4));
    const bare = structuredClone(plan) as { stages: { config: { vcpu?: number } }[] };
    delete bare.stages[0]!.config.vcpu;
    for (const [name, doc] of [
      ['rounded', rounded],
      ['bare', bare],
    ] as const) {
      const file = join(sub, `${name}.json`);
      writeFileSync(file, JSON.stringify(doc));
      const samples = join(sub, `${name}.jsonl`);
      const r = runCli(['run', sub, '--plan', file, '--scenario', scenario, '--samples', samples]);
      expect(r.code, r.stderr).toBe(0);
      const ran = JSON.parse(readFileSync(samples, 'utf8').trim().split('\n')[0]!) as {
        config: { vcpu: number };
      };
      expect(ran.config.vcpu).toBe(exact);
    }
  });

  it('a deadline the plan meets stays met when each stage returns its own answer', () => {
    // Each stage's answer is judged with the workflow's whole slack; pinned together, parse's and
    // join's answers once spent it twice (24.7 s + 37.4 s past 60 s) and optimize exited 3 where
    // plan, on the same samples, met the deadline at 53 s.
    const at = mkdtempSync(join(dir, 'slack-'));
    const scenario = join(at, 'scenario.yaml');
    const stage = (
      seed: number,
      input: number,
      rps: string,
      msPerMB: number,
      threads: number,
      ratio: number,
      base: number,
      per: number,
    ) =>
      [
        `  ${seed === 1 ? 'parse' : 'join'}:`,
        `    seed: ${seed}`,
        `    inputBytes: ${input}`,
        '    coldStart: { medianMs: 350, logSd: 0.3, initCpuMs: 250 }',
        `    read: { mbps: 85, halfMemMB: 900${rps} }`,
        `    compute: { msPerMB: ${msPerMB}, threads: ${threads} }`,
        `    write: { mbps: 70, halfMemMB: 900, outputRatio: ${ratio} }`,
        `    memory: { baseMB: ${base}, perPartitionMB: ${per}, gc: 0.04 }`,
        '    noise: { runLogSd: 0.06, stragglerLogSd: 0.12 }',
      ].join('\n');
    writeFileSync(
      scenario,
      [
        'schema: rightsizer.sim-scenario/v1',
        'stages:',
        stage(1, 6442450944, ', aggregateRps: 5500', 45, 1, 0.4, 140, 1.6),
        stage(2, 2576980378, '', 80, 2, 0.1, 200, 2.5),
      ].join('\n'),
    );
    writeFileSync(
      join(at, 'workflow.yaml'),
      'name: simwf\nbackend: sim\nstages:\n  - name: parse\n  - name: join\n    dependsOn: [parse]\n    maxWorkers: 8\n',
    );
    const r = runCli(['optimize', at, '--objective', 'deadline:60s', '--scenario', scenario, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = PlanSchema.parse(JSON.parse(r.stdout));
    expect(plan.feasible).toBe(true);
    expect(plan.predicted.latencyMs).toBeLessThanOrEqual(60_000);
  });

  it('refuses an unknown backend, listing the valid ones (exit 2)', () => {
    const r = runCli(['optimize', dir, '--objective', 'cost', '--backend', 'lambda']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/local, exec, sim/);
  });
});

describe('optimize and run on the wordcount example (local backend, real processes)', () => {
  const samples = join(dir, 'wordcount.jsonl');
  const planFile = join(dir, 'wordcount-plan.json');

  it('optimize --json profiles both stages end to end and prints the plan alone', () => {
    const r = runCli([
      'optimize',
      WORDCOUNT,
      '--objective',
      'cost',
      '--json',
      '--samples',
      samples,
      '--out',
      planFile,
      '--budget-runs',
      '5',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      schema: string;
      stages: { stage: string; config: { workers: number } }[];
    };
    expect(plan.schema).toBe('rightsizer.plan/v1');
    expect(plan.stages.map((s) => s.stage)).toEqual(['count', 'merge']);
    expect(plan.stages[1]!.config.workers).toBe(1);
    expect(countLines(samples)).toBeLessThanOrEqual(10);
    // Which isolation ran is said once, on stderr (stdout holds the plan alone).
    const said = r.stderr.split('\n').filter((l) => l.startsWith('note: local backend isolation: '));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/isolation: (cgroup-v1|cgroup-v2|rlimit-watchdog)/);
  }, 120_000);

  it('run prints predicted against measured and appends the runs as samples', () => {
    const before = countLines(samples);
    const r = runCli(['run', WORDCOUNT, '--plan', planFile, '--samples', samples]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Predicted vs measured/);
    expect(r.stdout).toMatch(/count/);
    expect(r.stdout).toMatch(/workflow/);
    expect(countLines(samples)).toBe(before + 2);
    // Where the workflow's results are, and how its runs were isolated.
    expect(r.stdout).toMatch(
      /results of merge: 1 object under runs\/merge\/r-[^/]+\/ in \S+\.rightsizer\/store/,
    );
    expect(r.stderr).toMatch(/note: local backend isolation: (cgroup-v1|cgroup-v2|rlimit-watchdog)/);
  }, 60_000);
});
