import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { RightsizerError } from '../../src/core/errors.js';
import { isPathLike, loadWorkflow, validateWorkflow } from '../../src/store/workflow-file.js';

const fixtureDir = new URL('../fixtures/workflows/diamond', import.meta.url).pathname;

function rejects(f: () => unknown): RightsizerError {
  try {
    f();
  } catch (e) {
    if (e instanceof RightsizerError) return e;
    throw e;
  }
  throw new Error('expected a RightsizerError');
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rightsizer-wf-'));
});

async function load(yaml: string, name = 'workflow.yaml'): Promise<RightsizerError> {
  await writeFile(join(dir, name), yaml);
  return rejects(() => loadWorkflow(join(dir, name)));
}

describe('loadWorkflow', () => {
  it('loads a folder as its workflow.yaml, with defaults, the DAG and resolved paths', async () => {
    const wf = loadWorkflow(fixtureDir);
    expect(wf.file).toBe(join(fixtureDir, 'workflow.yaml'));
    expect(wf.dir).toBe(fixtureDir);
    expect(wf.backend).toBe('local');
    expect(wf.platform).toBe('aws-lambda-arm64');
    expect(wf.setup).toBe(join(fixtureDir, 'generate.ts'));
    const run = Object.fromEntries(wf.stages.map((s) => [s.name, s.run]));
    expect(run).toEqual({
      split: join(fixtureDir, 'stages/split.ts'),
      left: join(fixtureDir, 'stages/left.py'),
      right: 'pkg.stages:right',
      join: undefined,
    });
    expect(wf.asWritten).toEqual({
      setup: './generate.ts',
      run: { split: './stages/split.ts', left: 'stages/left.py' },
    });
    // input.from makes `left` depend on `split`.
    expect(wf.dag.parents.get('left')).toEqual(['split']);
    // …for every consumer of the stages (the planner builds its DAG from dependsOn).
    expect(wf.stages.find((s) => s.name === 'left')!.dependsOn).toEqual(['split']);
    expect(wf.dag.order).toEqual(['split', 'left', 'right', 'join']);
    expect(wf.dag.seriesParallel).toBe(true);
  });

  it('reads JSON too', async () => {
    await writeFile(join(dir, 'w.json'), JSON.stringify({ name: 'j', stages: [{ name: 'a' }] }));
    expect(loadWorkflow(join(dir, 'w.json')).name).toBe('j');
  });

  it('names the field path and what would be valid', async () => {
    const e = await load(
      'name: w\nstages:\n  - name: a\n  - name: b\n    space: { workers: { min: -1, max: 4 } }\n',
    );
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(
      `${join(dir, 'workflow.yaml')}: stages[1].space.workers.min: expected a positive number`,
    );
    expect((await load('stages: [{ name: a }]\n')).message).toMatch(/: name: required \(a string\)$/);
    expect((await load('name: w\nstages: []\n')).message).toMatch(/: stages: expected at least 1 item$/);
    expect((await load('name: w\nbackend: aws\nstages: [{ name: a }]\n')).message).toMatch(
      /: backend: expected one of "local", "lithops", "exec", "sim"$/,
    );
  });

  it('reports YAML syntax errors with line and column', async () => {
    expect((await load('name: w\nstages: [\n')).message).toMatch(/workflow\.yaml:\d+:\d+: not valid YAML/);
    expect((await load('')).message).toMatch(/empty workflow file/);
  });

  it('rejects duplicate stages, unknown dependencies and cycles', async () => {
    expect((await load('name: w\nstages: [{ name: a }, { name: a }]\n')).message).toMatch(
      /stages\[1\]\.name: duplicate stage "a" \(first at stages\[0\]\)/,
    );
    expect((await load('name: w\nstages: [{ name: a, dependsOn: [b] }]\n')).message).toMatch(
      /stages\[0\]\.dependsOn\[0\]: unknown stage "b" \(stages are: a\)/,
    );
    expect((await load('name: w\nstages: [{ name: a, input: { from: zz } }]\n')).message).toMatch(
      /stages\[0\]\.input\.from: unknown stage "zz"/,
    );
    expect(
      (
        await load(
          'name: w\nstages: [{ name: a, dependsOn: [c] }, { name: b, dependsOn: [a] }, { name: c, dependsOn: [b] }]\n',
        )
      ).message,
    ).toMatch(/dependency cycle [abc] → [abc] → [abc] → [abc]$/);
  });

  it('a missing path or a folder without workflow.yaml is a clear error', async () => {
    expect(rejects(() => loadWorkflow(join(dir, 'nope.yaml'))).message).toMatch(
      /no such workflow file or folder/,
    );
    expect(rejects(() => loadWorkflow(dir)).message).toMatch(/folder has no workflow\.yaml/);
  });
});

describe('validateWorkflow', () => {
  it('checks an object given in code the same way', () => {
    const wf = validateWorkflow(
      { name: 'w', stages: [{ name: 'a', run: './a.ts' }] },
      { source: 'defineWorkflow', baseDir: '/x' },
    );
    expect(wf.stages[0]!.run).toBe('/x/a.ts');
    expect(wf.file).toBeNull();
    expect(() =>
      validateWorkflow({ name: 'w', stages: [{ name: 1 }] }, { source: 'defineWorkflow', baseDir: '/x' }),
    ).toThrow('defineWorkflow: stages[0].name: expected a string, got number');
  });

  it('tells paths from Lithops functions and commands', () => {
    expect(isPathLike('./a.ts')).toBe(true);
    expect(isPathLike('../b/c.js')).toBe(true);
    expect(isPathLike('/abs/x')).toBe(true);
    expect(isPathLike('stages/x.py')).toBe(true);
    expect(isPathLike('pkg.module:fn')).toBe(false);
    expect(isPathLike('python3 stage.py')).toBe(false);
  });
});
