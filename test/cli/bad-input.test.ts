import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { platformYaml } from '../fixtures/platform-file.js';
import { makeSamples, toJsonl } from '../fixtures/synthetic-samples.js';
import { ROOT, runCli } from './run-cli.js';

let dir: string;
let good: string;
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-bad-'));
  const samples = makeSamples(
    'w',
    [{ name: 'a', inputBytes: 2 ** 28, msPerMB: 10 }],
    [
      { workers: 1, memoryMB: 512 },
      { workers: 4, memoryMB: 1024 },
      { workers: 8, memoryMB: 2048 },
      { workers: 16, memoryMB: 4096 },
    ],
  );
  good = write('good.jsonl', toJsonl(samples));
});

/** Every user error: exit 2, one line on stderr naming what is wrong, nothing on stdout. */
function expectUserError(args: string[], pattern: RegExp, code = 2) {
  const r = runCli(args);
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines.at(-1)).toMatch(pattern);
  expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  return r;
}

describe('bad input: one clear line, exit 2', () => {
  it('a missing samples file', () => {
    expectUserError(['plan', '--samples', join(dir, 'nope.jsonl')], /nope\.jsonl/);
  });

  it('an empty samples file', () => {
    expectUserError(['plan', '--samples', write('empty.jsonl', '')], /empty\.jsonl/);
  });

  it('bad lines are reported with their line numbers and the good lines still used', () => {
    const text = 'not json\n' + '{"schema":"rightsizer.sample/v1","workflow":"w"}\n' + goodLines();
    const mixed = write('mixed.jsonl', text);
    const r = runCli(['plan', '--samples', mixed, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/mixed\.jsonl:1:/);
    expect(r.stderr).toMatch(/mixed\.jsonl:2:.*(stage|config)/);
    expect(JSON.parse(r.stdout).stages).toHaveLength(1);
  });

  it('--strict makes a bad line fatal, naming the file and line', () => {
    const mixed = write('strict.jsonl', goodLines() + '{"schema":"rightsizer.sample/v1"}\n');
    expectUserError(['plan', '--samples', mixed, '--strict'], /strict\.jsonl:\d+/);
  });

  it('a workflow stage without samples', () => {
    const wf = write('wf-unknown.yaml', 'name: w\nstages:\n  - name: a\n  - name: b\n    dependsOn: [a]\n');
    expectUserError(['plan', '--samples', good, '--workflow', wf], /stage "b"/);
  });

  it('samples recorded under another workflow name: used, and said', () => {
    const renamed = write('wf-renamed.yaml', 'name: renamed\nstages:\n  - name: a\n');
    const r = runCli(['plan', '--samples', good, '--workflow', renamed, '--objective', 'cost']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/its samples are of workflow "w", not "renamed" .*used as renamed's/);
  });

  it('a dependsOn naming an unknown stage', () => {
    const wf = write('wf-dep.yaml', 'name: w\nstages:\n  - name: a\n    dependsOn: [ghost]\n');
    expectUserError(['plan', '--samples', good, '--workflow', wf], /ghost/);
  });

  it("a stage space that allows none of the platform's configs", () => {
    const wf = write(
      'wf-space.yaml',
      'name: w\nstages:\n  - name: a\n    space: { memoryMB: [64, 20000] }\n',
    );
    expectUserError(
      ['plan', '--samples', good, '--workflow', wf],
      /wf-space\.yaml: stage a: its space allows no config.*10240/,
    );
  });

  it("a workflow naming an unknown platform: the workflow's field, not --platform", () => {
    const wf = write('wf-mars.yaml', 'name: w\nplatform: mars\nstages:\n  - name: a\n');
    expectUserError(
      ['plan', '--samples', good, '--workflow', wf],
      /wf-mars\.yaml: platform: unknown platform "mars"/,
    );
  });

  it('a sample whose vCPU cannot be told: no vcpu, no platform, a memory the platform does not pair', () => {
    const line = JSON.stringify({
      schema: 'rightsizer.sample/v1',
      workflow: 'w',
      stage: 'a',
      config: { workers: 2, memoryMB: 3008 },
      rep: 0,
      status: 'ok',
      makespanMs: 1000,
      workers: [{ totalMs: 900 }, { totalMs: 950 }],
    });
    const f = write('novcpu.jsonl', `${line}\n`);
    expectUserError(
      ['plan', '--samples', f, '--platform', 'gcp-cloud-run'],
      /novcpu\.jsonl: a sample of stage "a" at 3008 MB gives no config\.vcpu and no platform/,
    );
  });

  it('an --out the samples cannot be written to, leaving nothing behind', () => {
    const demo = new URL('../fixtures/flexecutor/demo', import.meta.url).pathname;
    const folder = mkdtempSync(join(dir, 'out-'));
    expectUserError(
      ['import', 'flexecutor', demo, '--name', 'demo', '--platform', 'aws-lambda-x86', '--out', folder],
      /out-\w+: cannot write the samples there \(EISDIR\)/,
    );
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  /** A sample line of stage "a" at 2 workers that did not finish. */
  const failedRun = (run: { memoryMB: number; rep: number; status: string; error?: string }) =>
    JSON.stringify({
      schema: 'rightsizer.sample/v1',
      workflow: 'w',
      stage: 'a',
      config: { workers: 2, memoryMB: run.memoryMB },
      rep: run.rep,
      status: run.status,
      ...(run.error ? { error: run.error } : {}),
    });

  it('a stage whose every run failed, saying why the last one did', () => {
    const failed = (rep: number) =>
      failedRun({ memoryMB: 512, rep, status: 'error', error: 'Traceback …\nKeyError: inputBytes' });
    const f = write('all-failed.jsonl', `${failed(0)}\n${failed(1)}\n`);
    expectUserError(
      ['plan', '--samples', f],
      /stage "a" has no successful run \(2 failed; the last: error: Traceback … KeyError: inputBytes\)/,
    );
  });

  it('a stage whose every run ran out of memory, saying where to profile next', () => {
    const oom = (memoryMB: number) => failedRun({ memoryMB, rep: 0, status: 'oom' });
    const f = write('all-oom.jsonl', `${oom(512)}\n${oom(1024)}\n`);
    expectUserError(
      ['plan', '--samples', f],
      /every run ran out of memory, the most memory tried 1024 MB at 2 worker\(s\): profile it with more memory/,
    );
  });

  it('a cycle', () => {
    const wf = write(
      'wf-cycle.yaml',
      'name: w\nstages:\n  - name: a\n    dependsOn: [b]\n  - name: b\n    dependsOn: [a]\n',
    );
    expectUserError(['plan', '--samples', good, '--workflow', wf], /cycle/i);
  });

  it('a bad objective, percentile, confidence, platform, config or size', () => {
    expectUserError(['plan', '--samples', good, '--objective', 'cheap'], /--objective/);
    expectUserError(['plan', '--samples', good, '--objective', 'deadline:soon'], /deadline|duration/);
    expectUserError(
      ['plan', '--samples', good, '--objective', 'deadline:-5s'],
      /the deadline must be positive/,
    );
    expectUserError(
      ['plan', '--samples', good, '--percentile', '100'],
      /--percentile: "100" is out of range/,
    );
    expectUserError(
      ['plan', '--samples', good, '--percentile', '95.5'],
      /--percentile: "95.5" is not an integer/,
    );
    expectUserError(['plan', '--samples', good, '--confidence', '2'], /--confidence: "2" is out of range/);
    expectUserError(
      ['plan', '--samples', good, '--confidence', 'abc'],
      /--confidence: "abc" is not a number/,
    );
    expectUserError(['plan', '--samples', good, '--platform', ','], /--platform: "," names no platform/);
    expectUserError(['train', '--samples', good, '--platform', ''], /--platform: "" names no platform/);
    expectUserError(
      ['plan', '--samples', good, '--platform', 'aws-lambda-z80'],
      /unknown platform "aws-lambda-z80"/,
    );
    expectUserError(['plan', '--samples', good, '--input-bytes', 'lots'], /--input-bytes/);
    expectUserError(['plan', '--samples', good, '--input-bytes', '0'], /--input-bytes: 0 is no input size/);
    expectUserError(
      ['plan', '--samples', good, '--input-bytes', '2000000000000000000'],
      /--input-bytes: 2000000000000000000 is more than an exabyte/,
    );
    // A workflow's input size is held to the samples' bound: its runs' samples could not be written.
    const big = write('big.yaml', 'name: big\nbackend: exec\nstages:\n  - name: a\n    inputBytes: 2e18\n');
    expectUserError(['validate', big], /big\.yaml: stages\[0\]\.inputBytes: .*more than an exabyte/);
    expectUserError(
      ['predict', '--samples', good, '--stage', 'a', '--config', 'workers=2,memoryMB=20000'],
      /--config: aws-lambda-x86 does not offer 20000 MB/,
    );
    expectUserError(
      ['predict', '--samples', good, '--stage', 'a', '--config', 'workers=2,memoryMB=1024,vcpu=2'],
      /--config: aws-lambda-x86 does not offer 1024 MB with 2 vCPU/,
    );
    // The vCPU as the tables print it is the one memory gives.
    const rounded = runCli([
      'predict',
      '--samples',
      good,
      '--stage',
      'a',
      '--config',
      'workers=2,memoryMB=1024,vcpu=0.579',
    ]);
    expect(rounded.code, rounded.stderr).toBe(0);
    expectUserError(['predict', '--samples', good, '--stage', 'a', '--config', 'workers=two'], /--config/);
    expectUserError(
      ['predict', '--samples', good, '--stage', 'a', '--config', 'workers=16,memoryMB=1024,workers=32'],
      /--config: workers is given twice/,
    );
    expectUserError(
      ['predict', '--samples', good, '--stage', 'a', '--config', 'workers=1000000000,memoryMB=1024'],
      /--config: workers=1000000000 is more than 100 waves of aws-lambda-x86's 1000 concurrent workers/,
    );
    const capped = write('wf-capped.yaml', 'name: w\nstages:\n  - name: a\n    maxWorkers: 8\n');
    expectUserError(
      [
        'predict',
        '--samples',
        good,
        '--workflow',
        capped,
        '--stage',
        'a',
        '--config',
        'workers=9,memoryMB=1024',
      ],
      /--config: workers=9 is outside stage "a"'s space \(its workflow allows 1–8 workers\)/,
    );
    expectUserError(
      ['predict', '--samples', good, '--stage', 'zz', '--config', 'workers=2,memoryMB=512'],
      /stage "zz"/,
    );
    // A list space allows its values only; a range and maxWorkers that do not meet allow none.
    const listed = write('wf-list.yaml', 'name: w\nstages:\n  - name: a\n    space: { workers: [4, 16] }\n');
    const predictAt = (wf: string, workers: number, stage = 'a') => [
      'predict',
      '--samples',
      good,
      '--workflow',
      wf,
      '--stage',
      stage,
      '--config',
      `workers=${workers},memoryMB=1024`,
    ];
    expectUserError(
      predictAt(listed, 8),
      /workers=8 is not in stage "a"'s space \(its workflow allows 4, 16 workers\)/,
    );
    expect(runCli(predictAt(listed, 16)).code).toBe(0);
    const apart = write(
      'wf-apart.yaml',
      'name: w\nstages:\n  - name: a\n    maxWorkers: 8\n    space: { workers: { min: 16, max: 32 } }\n',
    );
    expectUserError(predictAt(apart, 9), /its workflow allows no worker count/);
    const other = write('wf-other.yaml', 'name: w\nstages:\n  - name: b\n  - name: c\n');
    expectUserError(predictAt(other, 2), /--stage: "a" is not a stage of workflow w \(its stages: b, c\)/);
  });

  it('an adaptive flag out of range, on profile as on optimize', () => {
    for (const cmd of ['profile', 'optimize']) {
      const base = [cmd, join(dir, 'nowhere'), '--objective', 'cost'];
      expectUserError([...base, '--threshold', '2'], /--threshold/);
      expectUserError([...base, '--epsilon', '0'], /--epsilon/);
      expectUserError([...base, '--budget-runs', '0'], /--budget-runs/);
    }
  });

  it('an unknown flag or command, or a required flag left out: one line', () => {
    for (const [args, pattern] of [
      [
        ['plan', '--samples', good, '--frobnicate'],
        /^rightsizer: unknown option '--frobnicate' \(add --help for usage\)$/,
      ],
      [['plna'], /^rightsizer: unknown command 'plna' \(Did you mean plan\?\) \(add --help for usage\)$/],
      [['plan'], /^rightsizer: required option '--samples <file>' not specified/],
    ] as const) {
      const r = expectUserError([...args], pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it("a sim scenario file missing a stage of a larger workflow (no stage borrows another's)", () => {
    const at = mkdtempSync(join(dir, 'sim-'));
    writeFileSync(
      join(at, 'workflow.yaml'),
      'name: two\nbackend: sim\nstages:\n  - name: parse\n  - name: join\n    dependsOn: [parse]\n',
    );
    writeFileSync(
      join(at, 'scenario.yaml'),
      [
        'schema: rightsizer.sim-scenario/v1',
        'stages:',
        '  parse:',
        '    seed: 1',
        '    inputBytes: 1000000000',
        '    coldStart: { medianMs: 350, logSd: 0.3 }',
        '    read: { mbps: 85, halfMemMB: 900 }',
        '    compute: { msPerMB: 45, threads: 1 }',
        '    write: { mbps: 70, halfMemMB: 900, outputRatio: 0.4 }',
        '    memory: { baseMB: 140, perPartitionMB: 1.6, gc: 0.04 }',
        '    noise: { runLogSd: 0.06, stragglerLogSd: 0.12 }',
      ].join('\n'),
    );
    const r = expectUserError(
      ['profile', at, '--samples', join(at, 's.jsonl')],
      /scenario\.yaml: no scenario for stage join/,
    );
    expect(r.stdout).toBe('');
    expect(readdirSync(at)).not.toContain('s.jsonl');
  });

  it("a local stage's run module that is not there, before any run", () => {
    const at = mkdtempSync(join(dir, 'nomod-'));
    writeFileSync(
      join(at, 'workflow.yaml'),
      'name: m\nstages:\n  - name: crunch\n    run: ./stages/nope.js\n',
    );
    for (const extra of [[], ['--dry-run']])
      expectUserError(
        ['profile', at, '--samples', join(at, 's.jsonl'), ...extra],
        /workflow\.yaml: stages\[0\]\.run: no such module .*stages\/nope\.js/,
      );
    expect(readdirSync(at)).not.toContain('s.jsonl');
  });

  it('a local stage whose input prefix holds nothing in the store (no setup wrote it)', () => {
    const at = mkdtempSync(join(dir, 'noinput-'));
    writeFileSync(join(at, 'a.mjs'), 'export default async function () {}\n');
    writeFileSync(
      join(at, 'workflow.yaml'),
      'name: m\nstages:\n  - name: a\n    run: ./a.mjs\n    input: { prefix: data/ }\n',
    );
    expectUserError(
      ['profile', at, '--samples', join(at, 's.jsonl')],
      /stage a: its input \(prefix data\/\) has no object in the store/,
    );
    expect(readdirSync(at)).not.toContain('s.jsonl');
  });

  it('an unknown model family names its flag', () => {
    for (const command of ['plan', 'train'])
      expectUserError(
        [command, '--samples', good, '--family', 'foo'],
        /^rightsizer: --family: unknown model family "foo"/,
      );
  });

  it('a bad platform file', () => {
    const pf = write('platform.yaml', 'id: x\n');
    expectUserError(['plan', '--samples', good, '--platform-file', pf], /platform\.yaml/);
    const syntax = write('syntax.yaml', 'id: x\nmemoryMB: {min: 128, max: 4096\ncpu: [\n');
    expectUserError(
      ['plan', '--samples', good, '--platform-file', syntax],
      /syntax\.yaml:\d+:\d+: not valid YAML \([^)]*\)$/,
    );
    const offAxis = write(
      'pairs.yaml',
      platformYaml('mine').replace(
        'cpu: { kind: proportional, mbPerVcpu: 1024 }',
        'cpu: { kind: pairs, pairs: [{ memoryMB: 512, vcpu: 0.5 }, { memoryMB: 300, vcpu: 1 }] }',
      ),
    );
    expectUserError(
      ['plan', '--samples', good, '--platform-file', offAxis],
      /pairs\.yaml: cpu\.pairs\[1\]\.memoryMB: 300 MB is not one of the platform's memoryMB sizes/,
    );
  });
});

describe('rightsizer validate', () => {
  it('reads a workflow written in TypeScript, as a file or as the folder holding it; plan takes it too', () => {
    const wordcount = join(ROOT, 'examples', 'wordcount');
    expect(runCli(['validate', wordcount]).stdout).toMatch(
      /valid rightsizer\.workflow\/v1 \(wordcount: 2 stages\)/,
    );
    expect(runCli(['validate', join(wordcount, 'workflow.ts')]).stdout).toMatch(
      /valid rightsizer\.workflow\/v1/,
    );
    // Samples of another workflow: plan reads the module, then finds none of its stages.
    expectUserError(['plan', '--samples', good, '--workflow', wordcount], /no samples for stage "count"/);
  });

  it("reads a workflow module that imports defineWorkflow from 'rightsizer', from any folder", () => {
    const at = mkdtempSync(join(tmpdir(), 'rs-tswf-'));
    const text =
      "import { defineWorkflow } from 'rightsizer';\nexport default defineWorkflow({ name: 'x', stages: [{ name: 'a' }] });\n";
    // .ts outside a "type": "module" package loads as CommonJS; .mts as an ES module.
    writeFileSync(join(at, 'workflow.ts'), text);
    writeFileSync(join(at, 'other.mts'), text);
    expect(runCli(['validate', at]).stdout).toMatch(/valid rightsizer\.workflow\/v1 \(x: 1 stage\)/);
    expect(runCli(['validate', join(at, 'other.mts')]).stdout).toMatch(/valid rightsizer\.workflow\/v1/);
  });

  it('refuses a plan that is infeasible without its miss, an unknown schema, and a sample time that is not ISO-8601', () => {
    const plan = JSON.parse(runCli(['plan', '--samples', good, '--json']).stdout) as Record<string, unknown>;
    expectUserError(['validate', write('nomiss.json', JSON.stringify({ ...plan, feasible: false }))], /miss/);
    expectUserError(
      ['validate', write('v2.json', JSON.stringify({ ...plan, schema: 'rightsizer.plan/v2' }))],
      /unknown schema "rightsizer\.plan\/v2"/,
    );
    const stage0 = (plan.stages as { predicted: Record<string, unknown> }[])[0]!;
    const tampered = (predicted: Record<string, unknown>) =>
      JSON.stringify({ ...plan, stages: [{ ...stage0, predicted: { ...stage0.predicted, ...predicted } }] });
    expectUserError(
      ['validate', write('iv.json', tampered({ latencyIntervalMs: [9e9, 1] }))],
      /iv\.json: stages\[0\]\.predicted\.latencyIntervalMs \[9000000000, 1\] is not ordered/,
    );
    const lo = (stage0.predicted.latencyMs as number) * 1.5;
    expectUserError(
      ['validate', write('iv2.json', tampered({ latencyIntervalMs: [lo, 2 * lo] }))],
      /iv2\.json: stages\[0\]\.predicted\.latencyIntervalMs \[.*\] does not hold its mean latencyMs/,
    );
    // A p99 plan's point lies past one run's 90 % interval, as it should.
    const p99 = runCli(['plan', '--samples', good, '--objective', 'latency', '--percentile', '99', '--json']);
    expect(runCli(['validate', write('p99.json', p99.stdout)]).code).toBe(0);
    // The percentile is null or 50…99; the critical path names the plan's own stages.
    expectUserError(
      [
        'validate',
        write('p100.json', JSON.stringify({ ...plan, objective: { kind: 'latency', percentile: 100 } })),
      ],
      /p100\.json: objective\.percentile: expected a number ≤ 99/,
    );
    const predicted = plan.predicted as Record<string, unknown>;
    expectUserError(
      [
        'validate',
        write('cp.json', JSON.stringify({ ...plan, predicted: { ...predicted, criticalPath: ['nope'] } })),
      ],
      /cp\.json: predicted\.criticalPath: the critical path names only stages of the plan/,
    );
    expectUserError(
      ['validate', write('sum.json', tampered({ costUSD: 123 }))],
      /sum\.json: predicted\.costUSD .* is not the sum of its stages' costs \(123\)/,
    );
    const lines = readFileSync(good, 'utf8').trim().split('\n');
    const when = (t: string) => JSON.stringify({ ...JSON.parse(lines[0]!), startedAt: t });
    expect(runCli(['validate', write('iso.jsonl', `${when('2026-11-27T13:00:00.000Z')}\n`)]).code).toBe(0);
    const r = runCli(['validate', write('when.jsonl', `${lines[0]}\n${when('yesterday')}\n`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/when\.jsonl:2: startedAt: Invalid ISO datetime/);
  });

  it('warns of an ok sample whose workers[] does not match its workers, or whose totalMs misses its phases', () => {
    type Line = { config: { workers: number }; workers: Record<string, unknown>[] };
    const first = readFileSync(good, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line)
      .find((l) => l.config.workers > 1 && l.workers.length === l.config.workers)!;
    const short = { ...first, runId: 'short', workers: first.workers.slice(0, 1) };
    const w0 = { ...first.workers[0]!, readMs: 100, computeMs: 400, writeMs: 10, totalMs: 100 };
    const under = { ...first, runId: 'under', workers: [w0, ...first.workers.slice(1)] };
    const r = runCli([
      'validate',
      write('contracts.jsonl', `${JSON.stringify(short)}\n${JSON.stringify(under)}\n`),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/sample short \(stage \w+\): 1 workers\[\] entries for \d+ workers/);
    expect(r.stderr).toMatch(
      /sample under \(stage \w+\): workers\[0\]\.totalMs is less than its readMs \+ computeMs \+ writeMs/,
    );
  });

  it('accepts each kind of valid file', () => {
    expect(runCli(['validate', good]).stdout).toMatch(/valid rightsizer\.sample\/v1/);
    const wf = write('wf-ok.yaml', 'name: w\nstages:\n  - name: a\n');
    expect(runCli(['validate', wf]).stdout).toMatch(/valid rightsizer\.workflow\/v1/);
    // A sample naming a platform of no catalog is valid, and said.
    const [first] = readFileSync(good, 'utf8').trim().split('\n');
    const odd = runCli([
      'validate',
      write('odd.jsonl', JSON.stringify({ ...JSON.parse(first!), platform: 'nope' })),
    ]);
    expect(odd.code).toBe(0);
    expect(odd.stderr).toMatch(/odd\.jsonl: 1 sample\(s\) name platform "nope", which is not a known one/);
    // Valid, but a platform of no catalog is said (plan would refuse it without a --platform-file).
    const own = runCli([
      'validate',
      write('wf-own.yaml', 'name: w\nplatform: my-faas\nstages:\n  - name: a\n'),
    ]);
    expect(own.code).toBe(0);
    expect(own.stderr).toMatch(/wf-own\.yaml: platform "my-faas" is not a known one .*--platform-file/);
    const plan = runCli(['plan', '--samples', good, '--json']).stdout;
    expect(runCli(['validate', write('plan.json', plan)]).stdout).toMatch(/valid rightsizer\.plan\/v1/);
    const two = write('two-platforms.yaml', `${platformYaml('one')}\n---\n${platformYaml('two')}\n`);
    expect(runCli(['validate', two]).stdout).toMatch(/valid rightsizer\.platform\/v1 \(one, two\)/);
    // `platforms --json` prints documents validate takes back.
    const listed = JSON.parse(runCli(['platforms', '--json']).stdout) as { id: string }[];
    const k8s = write('k8s.json', JSON.stringify(listed.find((p) => p.id === 'k8s')));
    expect(runCli(['validate', k8s]).stdout).toMatch(/valid rightsizer\.platform\/v1 \(k8s\)/);
  });

  it('rejects a bad file with exit 2', () => {
    expectUserError(['validate', write('bad.jsonl', '{}\n')], /bad\.jsonl/);
    expectUserError(
      ['validate', write('bad-plan.json', '{"schema":"rightsizer.plan/v1"}')],
      /bad-plan\.json/,
    );
    expectUserError(['validate', join(dir, 'missing.yaml')], /missing\.yaml/);
    expectUserError(
      ['validate', write('broken.yaml', 'name: w\nstages:\n  - name: a\n   bad: [\n')],
      /broken\.yaml:4:1: .*validate reads a samples, workflow, plan or platform file/,
    );
  });

  it("checks each stage's space against the workflow's platform, as plan would", () => {
    const wf = (memory: string): string =>
      `schema: rightsizer.workflow/v1\nname: w\nplatform: aws-lambda-x86\nstages:\n  - name: a\n    space: {memoryMB: ${memory}}\n`;
    expectUserError(
      ['validate', write('oob.yaml', wf('[64, 20000]'))],
      /stage a: its space allows no config on aws-lambda-x86/,
    );
    const partly = runCli(['validate', write('partly.yaml', wf('[64, 1024]'))]);
    expect(partly.code).toBe(0);
    expect(partly.stderr).toMatch(
      /stage a: aws-lambda-x86 does not offer memoryMB 64 \(128–10240\); plan skips them/,
    );
  });
});

function goodLines(): string {
  return toJsonl(
    makeSamples(
      'w',
      [{ name: 'a', inputBytes: 2 ** 28, msPerMB: 10 }],
      [
        { workers: 1, memoryMB: 512 },
        { workers: 4, memoryMB: 1024 },
        { workers: 8, memoryMB: 2048 },
      ],
    ),
  );
}
