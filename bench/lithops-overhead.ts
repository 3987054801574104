/**
 * What the lithops backend costs per stage run on top of Lithops itself: the wall time of
 * `LithopsBackend.runStage` (the request line, the bridge, its wrapper around the function, the
 * stats record and its conversion to a sample) against the same `map` + `wait` in a plain Lithops
 * script, both on Lithops' localhost backend with one executor kept across runs and the same
 * trivial function (0.2 s of sleep per call). The makespans Lithops reports are shown too: they
 * should agree, since the bridge adds nothing inside the job.
 *
 * Run: `npx tsx bench/lithops-overhead.ts [reps]` (needs `bash scripts/setup-python.sh`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LithopsBackend } from '../src/backends/lithops/index.js';
import { defaultPython } from '../src/backends/lithops/bridge-python.js';
import { PlatformSchema } from '../src/core/schemas.js';
import { CATALOG } from '../src/platforms/catalog.js';

export interface LithopsOverheadRow {
  workers: number;
  reps: number;
  /** Median wall time of map + wait in a plain Lithops script, ms. */
  plainMs: number;
  /** Median wall time of one runStage through the bridge, ms. */
  bridgeMs: number;
  overheadMs: number;
  /** Median makespan Lithops reports (first submit → last status done), plain and bridge, ms. */
  plainMakespanMs: number;
  bridgeMakespanMs: number;
}

const STAGES_DIR = fileURLToPath(new URL('../python/tests/stages', import.meta.url));
const CONFIG = {
  lithops: { backend: 'localhost', storage: 'localhost', data_cleaner: false, log_level: 'WARNING' },
};

/** The plain script: one executor, `reps` maps of the same function, each timed around map + wait. */
const PLAIN = `
import json, sys, time
import lithops
sys.path.insert(0, sys.argv[1])
from stagefns import trivial
workers, reps = int(sys.argv[2]), int(sys.argv[3])
config = json.loads(sys.argv[4])
config["localhost"] = {"runtime": sys.executable, "worker_processes": workers}
fexec = lithops.FunctionExecutor(config=config)
out = []
for rep in range(reps + 1):
    start = time.monotonic()
    futures = fexec.map(trivial, [({"index": i, "workers": workers},) for i in range(workers)])
    fexec.wait(futures, throw_except=False, timeout=120, show_progressbar=False)
    wall = time.monotonic() - start
    stats = [f.stats for f in futures]
    span = max(s["host_status_done_tstamp"] for s in stats) - min(s["host_submit_tstamp"] for s in stats)
    if rep > 0:
        out.append({"wallMs": wall * 1000, "makespanMs": span * 1000})
fexec.__exit__(None, None, None)
print(json.dumps(out))
`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function isolatedEnv(): { env: Record<string, string>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rightsizer-lithops-overhead-'));
  mkdirSync(join(dir, 'tmp'));
  return { dir, env: { HOME: dir, TMPDIR: join(dir, 'tmp') } };
}

async function plainRuns(workers: number, reps: number): Promise<{ wallMs: number; makespanMs: number }[]> {
  const { dir, env } = isolatedEnv();
  try {
    const out = execFileSync(
      defaultPython(),
      ['-c', PLAIN, STAGES_DIR, String(workers), String(reps), JSON.stringify(CONFIG)],
      { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return JSON.parse(out) as { wallMs: number; makespanMs: number }[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bridgeRuns(workers: number, reps: number): Promise<{ wallMs: number; makespanMs: number }[]> {
  const { dir, env } = isolatedEnv();
  const platform = PlatformSchema.parse(CATALOG.find((p) => p.id === 'aws-lambda-x86'));
  const backend = new LithopsBackend({ platform, workflowDir: STAGES_DIR, lithopsConfig: CONFIG, env });
  const out: { wallMs: number; makespanMs: number }[] = [];
  try {
    // The first run starts the bridge and the executor, as the plain script's first map does.
    for (let rep = 0; rep <= reps; rep++) {
      const start = performance.now();
      const { sample } = await backend.runStage({
        runId: `overhead-${workers}-${rep}`,
        workflow: 'bench',
        stage: { name: 'trivial', run: 'stagefns:trivial' },
        config: { workers, memoryMB: 1769, vcpu: 1 },
        inputBytes: null,
        rep,
        timeoutMs: 120_000,
        seed: 0,
      });
      const wallMs = performance.now() - start;
      if (sample.status !== 'ok') throw new Error(`bridge run failed: ${sample.error ?? sample.status}`);
      if (rep > 0) out.push({ wallMs, makespanMs: sample.makespanMs! });
    }
  } finally {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export async function measureLithopsOverhead(
  reps = 5,
  workerCounts: readonly number[] = [1, 4],
): Promise<{ rows: LithopsOverheadRow[]; markdown: string }> {
  const rows: LithopsOverheadRow[] = [];
  for (const workers of workerCounts) {
    const plain = await plainRuns(workers, reps);
    const bridge = await bridgeRuns(workers, reps);
    const plainMs = median(plain.map((r) => r.wallMs));
    const bridgeMs = median(bridge.map((r) => r.wallMs));
    rows.push({
      workers,
      reps,
      plainMs,
      bridgeMs,
      overheadMs: bridgeMs - plainMs,
      plainMakespanMs: median(plain.map((r) => r.makespanMs)),
      bridgeMakespanMs: median(bridge.map((r) => r.makespanMs)),
    });
  }
  const f = (x: number): string => x.toFixed(0);
  const markdown = [
    `Lithops localhost, one executor kept, ${reps} runs per row after a warm-up (medians, ms):`,
    '',
    '| workers | plain Lithops map+wait | rightsizer runStage | overhead per stage run | makespan plain | makespan bridge |',
    '| ------: | ---------------------: | ------------------: | ---------------------: | -------------: | --------------: |',
    ...rows.map(
      (r) =>
        `| ${r.workers} | ${f(r.plainMs)} | ${f(r.bridgeMs)} | ${f(r.overheadMs)} | ${f(r.plainMakespanMs)} | ${f(r.bridgeMakespanMs)} |`,
    ),
  ].join('\n');
  return { rows, markdown };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const reps = Number(process.argv[2] ?? 5);
  measureLithopsOverhead(reps).then(
    ({ markdown }) => console.log(markdown),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
