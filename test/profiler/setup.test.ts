import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RightsizerError } from '../../src/core/errors.js';
import { runSetup } from '../../src/profiler/setup.js';
import { loadWorkflow } from '../../src/store/workflow-file.js';
import { makeBackend, tempDir } from '../backends/local/helpers.js';

/** A one-stage workflow in `dir` whose setup is `setup`; the stage reads `data/`. */
function workflowWith(dir: string, setup: string) {
  writeFileSync(join(dir, 'stage.js'), 'export default async function () {}\n');
  writeFileSync(
    join(dir, 'workflow.yaml'),
    [
      'schema: rightsizer.workflow/v1',
      'name: setup-test',
      `setup: ${JSON.stringify(setup)}`,
      'params: { rows: 3 }',
      'stages:',
      '  - name: s',
      '    run: ./stage.js',
      '    input: { prefix: data/ }',
      '',
    ].join('\n'),
  );
  return loadWorkflow(dir);
}

describe('workflow setup', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('a module setup gets the store and the params, and may say its data is present', async () => {
    writeFileSync(
      join(t.dir, 'setup.mjs'),
      [
        'export default async function (ctx) {',
        "  if (await ctx.store.exists('data/rows')) return 'present';",
        "  await ctx.store.write('data/rows', String(ctx.params.rows));",
        "  await ctx.store.write('data/old', 'x');",
        "  await ctx.store.delete('data/old');",
        '}',
        '',
      ].join('\n'),
    );
    const wf = workflowWith(t.dir, './setup.mjs');
    const backend = makeBackend(t.dir);
    expect(await runSetup(wf, backend)).toBe('ran');
    expect((await backend.store.read('data/rows')).toString()).toBe('3');
    expect(await backend.store.exists('data/old')).toBe(false);
    expect(await runSetup(wf, backend)).toBe('skipped');
  });

  it("a module setup that throws is the user's error (exit 2) naming the setup, not an internal one", async () => {
    writeFileSync(
      join(t.dir, 'bad-setup.mjs'),
      "export default async () => { throw new Error('no disk'); }\n",
    );
    const wf = workflowWith(t.dir, './bad-setup.mjs');
    const err = await runSetup(wf, makeBackend(t.dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RightsizerError);
    expect((err as RightsizerError).exitCode).toBe(2);
    expect((err as RightsizerError).oneLine()).toMatch(/bad-setup\.mjs failed: no disk/);
  });

  it('a command setup runs only while the root input is missing', async () => {
    const wf = workflowWith(
      t.dir,
      'sh -c "mkdir -p $RIGHTSIZER_STORE/data && echo 1 >> $RIGHTSIZER_STORE/data/n"',
    );
    const backend = makeBackend(join(t.dir, 'cmd'));
    expect(await runSetup(wf, backend)).toBe('ran');
    expect(await runSetup(wf, backend)).toBe('skipped');
    expect((await backend.store.read('data/n')).toString()).toBe('1\n');
  });
});
