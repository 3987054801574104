/**
 * What the local backend costs per worker: the cold start of a trivial stage (spawn → ready) and
 * a worker's whole wall time (spawn → done), against a bare `child_process.fork` of the same
 * function doing the same reads and writes. The difference is rightsizer's overhead: the worker
 * runtime and its watcher thread, cgroup set-up and tear-down, the IPC round trip, and tsx where
 * the runtime is loaded from TypeScript sources.
 *
 * Run: `npx tsx bench/local-overhead.ts [reps]`; bench/run.ts calls `measureLocalOverhead()`.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { detectCgroups } from '../src/backends/local/cgroups.js';
import { FsObjectStore, LocalBackend, type IsolationChoice } from '../src/backends/local/index.js';
import { workerArgs } from '../src/backends/local/spawn-worker.js';
import { PlatformSchema } from '../src/core/schemas.js';
import { CATALOG } from '../src/platforms/catalog.js';

export interface LocalOverheadRow {
  variant: string;
  reps: number;
  /** Median spawn → ready (module loaded), ms. */
  coldStartMs: number;
  /** Median spawn → done, ms. */
  workerWallMs: number;
  /** workerWallMs minus the bare fork's with the same loader, ms; null for the bare forks. */
  overheadMs: number | null;
}

/** The same trivial function for both: read 64 KiB, sum it, write the sum. */
const STAGE_SOURCE = `
export default async function trivial(ctx) {
  const data = await ctx.read('in/data');
  const sum = ctx.compute(() => data.reduce((s, b) => s + b, 0));
  await ctx.write('sum-' + ctx.partition.index, String(sum));
}
`;

/** A bare fork: load the stage, say ready, run it with a minimal context on the same files, say done. */
const BARE_SOURCE = `
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
const [stageUrl, root] = process.argv.slice(2);
const fn = (await import(stageUrl)).default;
process.send({ type: 'ready' });
const ctx = {
  partition: { index: 0, count: 1, keys: [], segments: [], bytes: 0, recordBytes: 1 },
  read: (key) => readFile(join(root, key)),
  compute: (f) => f(),
  write: async (key, data) => { await mkdir(join(root, 'bare'), { recursive: true }); await writeFile(join(root, 'bare', key), data); },
};
await fn(ctx);
process.send({ type: 'done' }, () => process.exit(0));
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function bareFork(
  bareScript: string,
  stageUrl: string,
  root: string,
  tsx: boolean,
): Promise<{ coldMs: number; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let coldMs = NaN;
    const child = fork(bareScript, [stageUrl, root], {
      execArgv: tsx ? ['--import', import.meta.resolve('tsx')] : [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('message', (m: { type: string }) => {
      if (m.type === 'ready') coldMs = performance.now() - t0;
      if (m.type === 'done') resolve({ coldMs, wallMs: performance.now() - t0 });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`bare fork exited with code ${code} before done`)));
  });
}

export async function measureLocalOverhead(
  reps = 5,
): Promise<{ rows: LocalOverheadRow[]; markdown: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rightsizer-local-overhead-'));
  try {
    const stage = join(dir, 'trivial-stage.mjs');
    const bare = join(dir, 'bare-fork.mjs');
    const root = join(dir, 'store');
    writeFileSync(stage, STAGE_SOURCE);
    writeFileSync(bare, BARE_SOURCE);
    await new FsObjectStore(root).write('in/data', Buffer.alloc(64 * 1024, 7));
    const platform = PlatformSchema.parse(CATALOG.find((p) => p.id === 'aws-lambda-x86'));
    const rows: LocalOverheadRow[] = [];

    const bareRow = async (variant: string, tsx: boolean): Promise<LocalOverheadRow> => {
      const runs = [];
      for (let i = 0; i < reps; i++) runs.push(await bareFork(bare, pathToFileURL(stage).href, root, tsx));
      return {
        variant,
        reps,
        coldStartMs: median(runs.map((r) => r.coldMs)),
        workerWallMs: median(runs.map((r) => r.wallMs)),
        overheadMs: null,
      };
    };
    const plain = await bareRow('bare child_process.fork', false);
    const withTsx = await bareRow('bare child_process.fork + tsx loader', true);
    rows.push(plain, withTsx);

    const modes: IsolationChoice[] = detectCgroups() ? ['cgroup', 'rlimit-watchdog'] : ['rlimit-watchdog'];
    for (const isolation of modes) {
      const backend = new LocalBackend({ platform, storeRoot: root, isolation });
      const cold: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < reps; i++) {
        const { sample } = await backend.runStage({
          runId: `overhead-${isolation}-${i}`,
          workflow: 'bench',
          stage: { name: 'trivial', run: stage },
          config: { workers: 1, memoryMB: 1769, vcpu: 1 },
          inputBytes: null,
          rep: i,
          timeoutMs: 60_000,
          seed: 0,
        });
        const w = sample.workers[0];
        if (sample.status !== 'ok' || !w) throw new Error(`local overhead run failed: ${sample.error}`);
        cold.push(w.coldStartMs ?? NaN);
        wall.push(w.billedMs ?? NaN);
      }
      await backend.close();
      // Run from src/, the worker runtime is TypeScript and loads tsx: compare like with like.
      const baseline = workerArgs(stage, 1769).includes('--import') ? withTsx : plain;
      rows.push({
        variant: `local backend, ${backend.mode} (1 worker, 1769 MB, 1 vCPU)`,
        reps,
        coldStartMs: median(cold),
        workerWallMs: median(wall),
        overheadMs: median(wall) - baseline.workerWallMs,
      });
    }

    const fmt = (x: number | null): string => (x === null ? '—' : x.toFixed(0));
    const markdown = [
      '| variant | reps | cold start (ms, median) | worker wall (ms, median) | overhead vs bare fork (ms) |',
      '|---|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.variant} | ${r.reps} | ${fmt(r.coldStartMs)} | ${fmt(r.workerWallMs)} | ${fmt(r.overheadMs)} |`,
      ),
    ].join('\n');
    return { rows, markdown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const reps = Number(process.argv[2] ?? 5);
  measureLocalOverhead(reps).then(
    ({ markdown }) => console.log(markdown),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
