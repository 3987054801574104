import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../src/backends/local/index.js';
import { isAlive } from '../../src/backends/local/proc.js';
import { BIN, runCli } from '../cli/run-cli.js';

const STAGE = new URL('../backends/local/stages/trivial.ts', import.meta.url).pathname;
const CONFIGS = 'w=1,m=1024;w=2,m=1024;w=1,m=1536;w=2,m=1536;w=1,m=2048;w=2,m=2048';

/** Every descendant of a process (children, their children, …), from /proc. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {
      // Gone already.
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, pp] of parent)
      if (pp === p) {
        out.push(child);
        walk(child);
      }
  };
  walk(pid);
  return out;
}

const lines = (file: string): string[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
    : [];

describe.skipIf(process.platform !== 'linux')('profile resumes after kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rightsizer-resume-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses at most the run in flight, repeats none, and leaves no worker behind', async () => {
    writeFileSync(
      join(dir, 'workflow.yaml'),
      [
        'name: resume',
        'platform: k8s',
        'stages:',
        `  - name: trivial`,
        `    run: ${STAGE}`,
        '    input: { prefix: data/ }',
      ].join('\n'),
    );
    const store = new FsObjectStore(join(dir, '.rightsizer', 'store'));
    await store.write('data/a.bin', Buffer.alloc(64 * 1024, 7));
    const samples = join(dir, '.rightsizer', 'samples.jsonl');
    const args = [BIN, 'profile', dir, '--design', 'grid', '--configs', CONFIGS, '--reps', '1'];

    const cli = spawn(process.execPath, args, { stdio: 'ignore' });
    const until = Date.now() + 40_000;
    while (lines(samples).length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(lines(samples).length).toBeGreaterThanOrEqual(2);
    const workers = descendants(cli.pid!);
    cli.kill('SIGKILL');
    await new Promise((r) => cli.once('exit', r));
    const before = lines(samples).length;
    expect(before).toBeLessThan(6);
    // No worker outlives rightsizer.
    const deadline = Date.now() + 5000;
    while (workers.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(workers.filter(isAlive)).toEqual([]);

    const again = runCli(args.slice(1), { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    const all = lines(samples).map(
      (l) => JSON.parse(l) as { runId: string; config: { workers: number; memoryMB: number } },
    );
    expect(all).toHaveLength(6);
    expect(new Set(all.map((s) => s.runId)).size).toBe(6);
    expect(new Set(all.map((s) => `${s.config.workers}|${s.config.memoryMB}`)).size).toBe(6);
    expect(again.stdout).toMatch(new RegExp(`${6 - before} runs? profiled, ${before} already in`));
  });

  it('leaves no exec engine (nor what it spawned) behind', async () => {
    const at = mkdtempSync(join(dir, 'exec-'));
    writeFileSync(
      join(at, 'workflow.yaml'),
      ['name: hang', 'backend: exec', 'stages:', '  - name: s', '    inputBytes: 1000'].join('\n'),
    );
    const pids = join(at, 'pids.json');
    const hang = new URL('../fixtures/exec/hang.mjs', import.meta.url).pathname;
    const cli = spawn(
      process.execPath,
      [BIN, 'profile', at, '--design', 'grid', '--configs', 'w=1,m=1024', '--exec', `node ${hang} ${pids}`],
      { stdio: 'ignore' },
    );
    const until = Date.now() + 20_000;
    while (!existsSync(pids) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const { leader, grandchild } = JSON.parse(readFileSync(pids, 'utf8')) as {
      leader: number;
      grandchild: number;
    };
    expect(isAlive(leader) && isAlive(grandchild)).toBe(true);
    cli.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while ((isAlive(leader) || isAlive(grandchild)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect([leader, grandchild].filter(isAlive)).toEqual([]);
  });
});
