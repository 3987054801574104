import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-cli.js';

const version = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version;

describe('the CLI module started directly', () => {
  it('node dist/cli/main.js runs the CLI, as bin/rightsizer.js does, instead of exiting 0 silently', () => {
    const r = spawnSync(process.execPath, [`${ROOT}dist/cli/main.js`, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
    const bad = spawnSync(process.execPath, [`${ROOT}dist/cli/main.js`, 'plan'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--samples/);
  });
});
