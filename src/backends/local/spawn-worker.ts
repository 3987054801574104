/**
 * The host side of one local worker: start it inside its limits, time its cold start and its
 * invocation on the host clock, watch it, and say how it ended.
 *
 * With cgroups the worker is started as `sh -c 'echo $$ > …/cgroup.procs; exec node …'`: the
 * shell joins the worker's groups and then becomes node (same pid, IPC channel kept), so no user
 * code ever runs outside its limits. Without cgroups V8's heap is capped and a watchdog polls the
 * resident memory of the worker's process group (Buffers and typed arrays live outside the heap).
 * Either way the worker leads its own process group, so a timeout kills its whole tree.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RightsizerError } from '../../core/errors.js';
import { BYTES_PER_MB } from '../../core/units.js';
import { WorkerCgroup, type CgroupSupport, type IsolationMode } from './cgroups.js';
import { processGroupMembers, readProcMemory } from './proc.js';
import { isWorkerMessage, type RunMessage, type WorkerMessage, type WorkerReport } from './protocol.js';

export type WorkerStatus = 'ok' | 'oom' | 'timeout' | 'error';

export interface WorkerSpec {
  stageModule: string;
  mode: IsolationMode;
  /** The cgroup hierarchy; required unless mode is `rlimit-watchdog`. */
  cgroups: CgroupSupport | null;
  memoryMB: number;
  vcpu: number;
  /** Measured from spawn: init counts against the stage timeout, as its time is billed. */
  timeoutMs: number;
  run: Omit<RunMessage, 'type'>;
  cwd?: string;
  signal?: AbortSignal;
  /** How often the watchdog reads the worker's resident memory (rlimit-watchdog mode). */
  watchdogIntervalMs?: number;
}

export interface WorkerOutcome {
  status: WorkerStatus;
  error: string | null;
  pid: number | null;
  /** Spawn to `ready` (process start, runtime and stage module loaded), host clock. */
  coldStartMs: number | null;
  /** `run` sent to `done` (or to exit, when it failed), host clock. */
  invokeMs: number | null;
  /** Spawn to `done` (or to exit): the worker's whole life, init included. */
  wallMs: number;
  report: WorkerReport | null;
  peakMemoryMB: number | null;
  cpuMs: number | null;
  nrThrottled: number | null;
  throttledMs: number | null;
  /** When the worker was spawned and when its invocation ended, on the host's performance clock. */
  spawnedAt: number;
  endedAt: number;
}

/** Part of the V8 heap limit of memory, as AWS Lambda's Node.js bootstrap sets (≈ 90 %). */
const HEAP_SHARE = 0.9;
/** Exit code of the spawn shell when it cannot join the worker's cgroups. */
const JOIN_FAILED = 97;
const TAIL_BYTES = 4096;
const JOIN_SCRIPT =
  'IFS=:; for f in $RIGHTSIZER_CGROUP_PROCS; do echo $$ > "$f" || exit ' +
  JOIN_FAILED +
  '; done; unset RIGHTSIZER_CGROUP_PROCS; exec "$@"';

/** The worker entry: compiled JS beside this file, or the TS source when run from src/. */
function runtimePath(): string {
  const js = fileURLToPath(new URL('./worker-runtime.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./worker-runtime.ts', import.meta.url));
}

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** node's arguments for a worker; tsx (this package's own) only where TypeScript is loaded. */
export function workerArgs(stageModule: string, memoryMB: number): string[] {
  const runtime = runtimePath();
  const needsTsx = TS_EXTENSIONS.has(extname(runtime)) || TS_EXTENSIONS.has(extname(stageModule));
  const heapMB = Math.max(16, Math.floor(memoryMB * HEAP_SHARE));
  return [
    ...(needsTsx ? ['--import', tsxLoader(stageModule)] : []),
    // Stacks of bundled TypeScript stages map back to the user's sources.
    '--enable-source-maps',
    `--max-old-space-size=${heapMB}`,
    runtime,
    stageModule,
  ];
}

/** tsx's loader, resolved from this package (so it works from any working directory). */
function tsxLoader(stageModule: string): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    throw new RightsizerError(
      'backend',
      `${stageModule}: loading TypeScript needs tsx, which is not installed beside rightsizer`,
      'npm install tsx, or give a JavaScript stage module',
    );
  }
}

function tail(chunks: Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8').slice(-TAIL_BYTES);
}

/** The message, then the first frames of the stack (where it was thrown). */
function describeFailure(message: string, stack: string | null): string {
  const frames = (stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 8)
    .map((l) => l.trim());
  return frames.length > 0 ? `${message}\n${frames.join('\n')}` : message;
}

const HEAP_OOM = /JavaScript heap out of memory|Reached heap limit|Allocation failed - process out of memory/;

export function runWorker(spec: WorkerSpec): Promise<WorkerOutcome> {
  const memoryBytes = spec.memoryMB * BYTES_PER_MB;
  const cgroup =
    spec.mode === 'rlimit-watchdog' || !spec.cgroups
      ? null
      : WorkerCgroup.create(spec.cgroups, { memoryBytes, vcpu: spec.vcpu });
  const args = workerArgs(spec.stageModule, spec.memoryMB);
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The host's NODE_OPTIONS (test runners, loaders) are not the worker's: it gets exactly its flags.
  delete env.NODE_OPTIONS;
  const options = { cwd: spec.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] as const };

  const spawnedAt = performance.now();
  let child: ChildProcess;
  if (cgroup) {
    env.RIGHTSIZER_CGROUP_PROCS = cgroup.procsFiles().join(':');
    child = spawn('/bin/sh', ['-c', JOIN_SCRIPT, 'sh', process.execPath, ...args], {
      ...options,
      stdio: [...options.stdio],
    });
  } else {
    child = spawn(process.execPath, args, { ...options, stdio: [...options.stdio] });
  }
  const pid = child.pid ?? null;

  return new Promise<WorkerOutcome>((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const keep = (into: Buffer[]) => (b: Buffer) => {
      into.push(b);
      // Keep only about the last TAIL_BYTES: a chatty stage must not grow the host's memory.
      let size = into.reduce((s, x) => s + x.length, 0);
      while (size > 2 * TAIL_BYTES && into.length > 1) size -= into.shift()!.length;
    };
    child.stdout?.on('data', keep(stdout));
    child.stderr?.on('data', keep(stderr));

    let coldStartMs: number | null = null;
    let invokedAt: number | null = null;
    let doneAt: number | null = null;
    let report: WorkerReport | null = null;
    let failed: { message: string; stack: string | null; maxRssKB: number } | null = null;
    let timedOut = false;
    let watchdogOom = false;
    let aborted = false;
    let peakKB = 0;
    let spawnError: Error | null = null;
    let finished = false;

    const killTree = (): void => {
      if (pid !== null) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Group already gone.
        }
      }
      void cgroup?.kill();
    };

    child.on('message', (m: unknown) => {
      if (!isWorkerMessage(m)) return;
      const msg: WorkerMessage = m;
      if (msg.type === 'ready') {
        coldStartMs = performance.now() - spawnedAt;
        invokedAt = performance.now();
        child.send({ type: 'run', ...spec.run } satisfies RunMessage);
      } else if (msg.type === 'done') {
        doneAt = performance.now();
        const { type: _type, ...rest } = msg;
        report = rest;
      } else {
        failed = msg;
      }
    });
    child.on('error', (e) => {
      spawnError = e;
    });

    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, spec.timeoutMs);

    const onAbort = (): void => {
      aborted = true;
      killTree();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    if (spec.signal?.aborted) onAbort();

    let tick = 0;
    const interval = spec.watchdogIntervalMs ?? 25;
    const watchdog =
      cgroup || pid === null
        ? null
        : setInterval(() => {
            // The leader every tick (cheap); the whole group every 8th (a /proc scan).
            const lead = readProcMemory(pid);
            if (!lead) return;
            let rssKB = lead.rssKB;
            if (++tick % 8 === 0)
              for (const p of processGroupMembers(pid)) if (p !== pid) rssKB += readProcMemory(p)?.rssKB ?? 0;
            peakKB = Math.max(peakKB, rssKB, lead.hwmKB);
            if (peakKB * 1024 > memoryBytes && !watchdogOom) {
              watchdogOom = true;
              killTree();
            }
          }, interval);

    const finish = async (code: number | null, signal: NodeJS.Signals | null): Promise<void> => {
      if (finished) return;
      finished = true;
      const endedAt = doneAt ?? performance.now();
      clearTimeout(timer);
      if (watchdog) clearInterval(watchdog);
      spec.signal?.removeEventListener('abort', onAbort);
      // Whatever the stage started dies with its invocation, as in a FaaS sandbox.
      killTree();
      const stats = cgroup?.stats() ?? null;
      await cgroup?.remove();

      const reportedKB = Math.max(report?.maxRssKB ?? 0, failed?.maxRssKB ?? 0);
      const peakMemoryMB =
        stats?.peakBytes != null
          ? stats.peakBytes / BYTES_PER_MB
          : Math.max(peakKB, reportedKB) / 1024 || null;
      const errText = tail(stderr);
      let status: WorkerStatus;
      let error: string | null = null;
      if (aborted) {
        status = 'error';
        error = 'cancelled';
      } else if (timedOut) {
        status = 'timeout';
        error = `worker ${pid} killed at the stage timeout (${spec.timeoutMs} ms)`;
      } else if (
        (stats?.oomKills ?? 0) > 0 ||
        watchdogOom ||
        HEAP_OOM.test(errText) ||
        (!cgroup && reportedKB * 1024 > memoryBytes)
      ) {
        status = 'oom';
        error = `worker ${pid} ran out of memory (${spec.memoryMB} MB${
          (stats?.oomKills ?? 0) > 0
            ? ', cgroup OOM kill'
            : watchdogOom
              ? ', RSS watchdog'
              : HEAP_OOM.test(errText)
                ? ', V8 heap limit'
                : ', peak RSS'
        })`;
      } else if (report) {
        status = 'ok';
      } else if (failed) {
        status = 'error';
        error = describeFailure(failed.message, failed.stack);
      } else if (code === JOIN_FAILED && cgroup) {
        status = 'error';
        error = `worker could not join its cgroups (${cgroup.dirs.join(', ')})`;
      } else {
        status = 'error';
        const spawnMessage = (spawnError as Error | null)?.message;
        error = `worker ${pid} exited ${spawnMessage ? `(${spawnMessage})` : signal ? `on ${signal}` : `with code ${code}`}${errText ? `: ${errText.trim().split('\n').slice(-10).join('\n')}` : ''}`;
      }
      resolve({
        status,
        error,
        pid,
        coldStartMs,
        invokeMs: invokedAt === null ? null : endedAt - invokedAt,
        wallMs: endedAt - spawnedAt,
        spawnedAt,
        report: status === 'ok' ? report : null,
        peakMemoryMB,
        cpuMs: stats?.cpuUsageMs ?? null,
        nrThrottled: stats?.nrThrottled ?? null,
        throttledMs: stats?.throttledMs ?? null,
        endedAt,
      });
    };

    child.on('exit', (code, signal) => {
      // The last IPC message may still be in flight when `exit` arrives: wait for the channel
      // to close, but not for stdio, which a leftover grandchild may hold open.
      if (!child.connected) return void finish(code, signal);
      const grace = setTimeout(() => void finish(code, signal), 200);
      child.once('disconnect', () => {
        clearTimeout(grace);
        void finish(code, signal);
      });
    });
    if (pid === null) child.once('error', () => void finish(null, null));
  });
}
