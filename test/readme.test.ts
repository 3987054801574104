import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli/run-cli.js';

/** The README's library example, run as written (against this checkout instead of the npm package). */
describe('README', () => {
  it('the library example runs and prints a config per stage', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Library'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    const script = join(mkdtempSync(join(tmpdir(), 'rs-readme-')), 'example.mts');
    writeFileSync(script, code!.replaceAll("from 'rightsizer'", `from '${join(ROOT, 'src/index.ts')}'`));
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/rebin: \d+ × \d+ MB/);
    expect(r.stdout).toMatch(/image: 1 × \d+ MB/);
  });
});
