/**
 * The `local` backend: runs a stage on this machine, one child process per worker, each inside
 * the memory and CPU share its config gives it on the emulated platform, and reports the run as
 * a `rightsizer.sample/v1` priced with that platform's prices.
 *
 * Isolation is chosen once per backend: cgroup v2 or v1 when this process may create groups,
 * else `rlimit-watchdog` (V8 heap limit + resident-memory watchdog, no CPU cap). Force it with
 * the `isolation` option or RIGHTSIZER_LOCAL_ISOLATION=cgroup|rlimit-watchdog|auto.
 */
import { setMaxListeners } from 'node:events';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { RightsizerError } from '../../core/errors.js';
import {
  SAMPLE_SCHEMA,
  type Platform,
  type ResolvedConfig,
  type Sample,
  type StageDef,
} from '../../core/types.js';
import { runCostUSD } from '../../platforms/cost.js';
import type { Backend, StageRunRequest, StageRunResult } from '../backend.js';
import { bundledStage } from './bundle-stage.js';
import { detectCgroups, reapStaleCgroups, type CgroupSupport, type IsolationMode } from './cgroups.js';
import { FsObjectStore, defaultStoreRoot, type ObjectInfo } from './object-store.js';
import { partitionInput, type PartitionUnit } from './partition.js';
import { ResourcePool, type Resources } from './scheduler.js';
import { runWorker, type WorkerOutcome, type WorkerStatus } from './spawn-worker.js';

export type IsolationChoice = 'auto' | 'cgroup' | 'rlimit-watchdog';

export interface LocalBackendOptions {
  /** Whose memory/vCPU rules the workers get and whose prices the run is projected at. */
  platform: Platform;
  /** The object store's folder; default `<workflowDir>/.rightsizer/store`. */
  storeRoot?: string;
  /** Where relative stage `run` paths and the default store live; default the current directory. */
  workflowDir?: string;
  /** Default: RIGHTSIZER_LOCAL_ISOLATION, else `auto` (cgroups when usable). */
  isolation?: IsolationChoice;
  /** The machine's room for workers; default its cores and RAM minus a margin. */
  capacity?: Resources;
  /** Stop the other workers of a run once one fails (oom, timeout, error). Default true. */
  failFast?: boolean;
  /** Resident-memory poll interval of the rlimit-watchdog mode. Default 25 ms. */
  watchdogIntervalMs?: number;
}

/** Extra fields a local sample carries (unknown fields are kept by the sample format). */
export interface LocalSampleExtras {
  isolation: IsolationMode;
  notes: string[];
}

const ISOLATION_ENV = 'RIGHTSIZER_LOCAL_ISOLATION';
const STATUS_PRIORITY: readonly WorkerStatus[] = ['oom', 'timeout', 'error'];

export class LocalBackend implements Backend {
  readonly name = 'local';
  readonly platform: Platform;
  readonly store: FsObjectStore;
  /** Which isolation the workers run under. */
  readonly mode: IsolationMode;
  private readonly cgroups: CgroupSupport | null;
  private readonly pool: ResourcePool;
  private readonly workflowDir: string;
  private readonly failFast: boolean;
  private readonly watchdogIntervalMs: number | undefined;
  private readonly closing = new AbortController();
  private reaped: Promise<unknown> | null = null;
  private readonly bundles = new Map<string, Promise<string>>();

  constructor(options: LocalBackendOptions) {
    this.platform = options.platform;
    this.workflowDir = resolve(options.workflowDir ?? process.cwd());
    this.store = new FsObjectStore(options.storeRoot ?? defaultStoreRoot(this.workflowDir));
    this.pool = new ResourcePool(options.capacity);
    this.failFast = options.failFast ?? true;
    this.watchdogIntervalMs = options.watchdogIntervalMs;
    const choice = options.isolation ?? isolationFromEnv();
    this.cgroups = choice === 'rlimit-watchdog' ? null : detectCgroups();
    if (choice === 'cgroup' && !this.cgroups)
      throw new RightsizerError(
        'backend',
        'local backend: cgroup isolation was asked for, but no writable cgroup v1/v2 memory and cpu controllers were found',
        `run as root on Linux with cgroups mounted, or use ${ISOLATION_ENV}=rlimit-watchdog`,
      );
    this.mode = this.cgroups?.mode ?? 'rlimit-watchdog';
  }

  concurrency(config: ResolvedConfig): number {
    return Math.min(
      this.pool.slots({ vcpu: config.vcpu, memoryMB: config.memoryMB }),
      this.platform.maxConcurrency,
    );
  }

  /** Without a cgroup CPU limit a worker may use every core; with one, its share up to the cores. */
  effectiveVcpu(config: ResolvedConfig): number {
    const cores = this.pool.capacity.vcpu;
    return this.cgroups ? Math.min(config.vcpu, cores) : cores;
  }

  async runStage(req: StageRunRequest, signal?: AbortSignal): Promise<StageRunResult> {
    const cgroups = this.cgroups;
    if (cgroups) this.reaped ??= reapStaleCgroups(cgroups).catch(() => 0);
    await this.reaped;
    const source = this.stageModule(req.stage);
    const stageModule = await this.loadableModule(source);
    const objects = await this.inputObjects(req);
    const measuredInput = objects.reduce((s, o) => s + o.bytes, 0);
    const params = { ...(req.stage.params ?? {}), ...(req.params ?? {}) };
    const partitions = partitionInput(objects, req.config.workers, partitionOptions(req.stage, params));
    const outputPrefix = req.outputPrefix ?? `runs/${req.stage.name}/${req.runId}/`;

    const run = new AbortController();
    // Every waiting worker listens on the run's signal: more than 10 workers is normal, not a leak.
    setMaxListeners(0, run.signal);
    const stop = (): void => run.abort(signal?.reason ?? this.closing.signal.reason);
    signal?.addEventListener('abort', stop, { once: true });
    this.closing.signal.addEventListener('abort', stop, { once: true });

    const startedAt = new Date().toISOString();
    const submittedAt = performance.now();
    const size = { vcpu: req.config.vcpu, memoryMB: req.config.memoryMB };
    let outcomes: (WorkerOutcome | null)[];
    try {
      outcomes = await Promise.all(
        partitions.map(async (partition): Promise<WorkerOutcome | null> => {
          let release: () => void;
          try {
            release = await this.pool.acquire(size, run.signal);
          } catch {
            return null; // Never started: the run was stopped while this worker waited.
          }
          try {
            if (run.signal.aborted) return null;
            const outcome = await runWorker({
              stageModule,
              mode: this.mode,
              cgroups,
              memoryMB: req.config.memoryMB,
              vcpu: req.config.vcpu,
              timeoutMs: req.timeoutMs,
              cwd: dirname(source),
              signal: run.signal,
              watchdogIntervalMs: this.watchdogIntervalMs,
              run: {
                storeRoot: this.store.root,
                outputPrefix,
                partition,
                config: req.config,
                params,
                stage: req.stage.name,
                workflow: req.workflow,
                runId: req.runId,
              },
            });
            if (outcome.status !== 'ok' && this.failFast && !run.signal.aborted)
              run.abort(new Error('a worker failed'));
            return outcome;
          } finally {
            release();
          }
        }),
      );
    } finally {
      signal?.removeEventListener('abort', stop);
      this.closing.signal.removeEventListener('abort', stop);
    }
    if (signal?.aborted) throw signal.reason;

    const ran = outcomes.filter((o): o is WorkerOutcome => o !== null);
    // A worker cancelled because another failed is not the run's cause of failure.
    const firstFailure = STATUS_PRIORITY.map((s) =>
      ran.find((o) => o.status === s && o.error !== 'cancelled'),
    ).find(Boolean);
    const status: WorkerStatus =
      ran.length === partitions.length && ran.every((o) => o.status === 'ok')
        ? 'ok'
        : (firstFailure?.status ?? 'error');
    const billsInit = this.platform.billing.billsInit;
    const workers = ran.map((o) => workerRecord(o, billsInit, submittedAt));
    const requests = ran.reduce(
      (acc, o) => ({
        get: acc.get + (o.report?.requests.get ?? 0),
        put: acc.put + (o.report?.requests.put ?? 0),
      }),
      { get: 0, put: 0 },
    );
    const outputKeys = ran.flatMap((o) => o.report?.outputKeys ?? []);
    const lastEnd = Math.max(...ran.map((o) => o.endedAt));
    const notes = [`isolation: ${this.mode}`];
    if (req.config.vcpu > this.pool.capacity.vcpu)
      notes.push(
        // One text for every such size, so that it is said once, not once per vCPU share.
        `cores: a vCPU share above this machine's ${this.pool.capacity.vcpu} cores gets at most the whole machine (its runs measure ${this.pool.capacity.vcpu} vCPU)`,
      );

    const sample: Sample & LocalSampleExtras = {
      schema: SAMPLE_SCHEMA,
      runId: req.runId,
      workflow: req.workflow,
      stage: req.stage.name,
      config: { workers: req.config.workers, memoryMB: req.config.memoryMB, vcpu: req.config.vcpu },
      inputBytes: req.inputBytes ?? measuredInput,
      outputBytes: ran.reduce((s, o) => s + (o.report?.outputBytes ?? 0), 0),
      requests,
      platform: this.platform.id,
      backend: 'local',
      rep: req.rep,
      startedAt,
      timeoutMs: req.timeoutMs,
      status,
      error: status === 'ok' ? null : (firstFailure?.error ?? 'the run was stopped before every worker ran'),
      makespanMs: status === 'ok' ? lastEnd - submittedAt : null,
      // This machine's room at the config: the makespan shows the waves past it, and the model
      // trains on them as waves rather than as a slower stage.
      concurrency: this.concurrency(req.config),
      effectiveVcpu: this.effectiveVcpu(req.config),
      workers,
      costUSD: runCostUSD(
        this.platform,
        req.config,
        workers.map((w) => w.billedMs ?? 0),
        requests,
      ),
      isolation: this.mode,
      notes,
    };
    return { sample, outputKeys: status === 'ok' ? outputKeys : [], notes };
  }

  /** Stops every running worker (they are killed with their process trees). */
  async close(): Promise<void> {
    this.closing.abort(new RightsizerError('backend', 'local backend closed'));
  }

  /** The stage's bundle (bundle-stage.ts), made once per backend. */
  private loadableModule(source: string): Promise<string> {
    let m = this.bundles.get(source);
    if (!m) {
      m = bundledStage(source, join(this.workflowDir, '.rightsizer', 'bundles'));
      this.bundles.set(source, m);
    }
    return m;
  }

  private stageModule(stage: StageDef): string {
    if (!stage.run)
      throw new RightsizerError(
        'input',
        `stage "${stage.name}": no "run" module`,
        'give run: ./stages/<name>.ts for the local backend',
      );
    return isAbsolute(stage.run) ? stage.run : resolve(this.workflowDir, stage.run);
  }

  /** The stage's input objects: the keys given, else its `input` (prefix or keys), with sizes. */
  private async inputObjects(req: StageRunRequest): Promise<ObjectInfo[]> {
    const sized = (keys: readonly string[]): Promise<ObjectInfo[]> =>
      Promise.all(keys.map(async (key) => ({ key, bytes: await this.store.size(key) })));
    if (req.inputKeys) return sized([...req.inputKeys].sort());
    const input = req.stage.input as { prefix?: string; keys?: string[]; from?: unknown } | undefined;
    if (!input) return [];
    if (typeof input.prefix === 'string') return this.store.list(input.prefix);
    if (Array.isArray(input.keys)) return sized([...input.keys].sort());
    throw new RightsizerError(
      'usage',
      `stage "${req.stage.name}": input comes from another stage; the local backend needs its inputKeys`,
      "pass the upstream run's outputKeys as inputKeys",
    );
  }
}

function isolationFromEnv(): IsolationChoice {
  const v = process.env[ISOLATION_ENV];
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === 'cgroup' || v === 'rlimit-watchdog') return v;
  throw new RightsizerError(
    'input',
    `${ISOLATION_ENV}=${v}: unknown isolation`,
    'use auto, cgroup or rlimit-watchdog',
  );
}

/**
 * Record alignment and unit: the stage's own `recordBytes` / `partitionBy` fields, else the
 * `recordBytes` / `partitionBy` params.
 */
function partitionOptions(
  stage: StageDef,
  params: Record<string, unknown>,
): { recordBytes?: number; unit?: PartitionUnit } {
  const s = stage as StageDef & { recordBytes?: unknown; partitionBy?: unknown };
  const recordBytes = numberOr(s.recordBytes) ?? numberOr(params.recordBytes);
  const by = s.partitionBy ?? params.partitionBy;
  return {
    ...(recordBytes !== undefined ? { recordBytes } : {}),
    ...(by === 'objects' || by === 'bytes' ? { unit: by } : {}),
  };
}

function numberOr(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? v : undefined;
}

/** A type alias, not an interface: the sample's loose worker record needs an implicit index signature. */
type LocalWorkerRecord = {
  coldStartMs: number | null;
  readMs: number | null;
  computeMs: number | null;
  writeMs: number | null;
  totalMs: number | null;
  peakMemoryMB: number | null;
  billedMs: number | null;
  cold: boolean;
  /** Submit to spawn: the wait for room on this machine (0 in the first wave). */
  queuedMs: number;
  status: WorkerStatus;
  pid: number | null;
  /** CPU time the worker's cgroup used, and how long / how many CFS periods its quota throttled it. */
  cpuMs: number | null;
  throttledMs: number | null;
  throttledPeriods: number | null;
};

function workerRecord(o: WorkerOutcome, billsInit: boolean, submittedAt: number): LocalWorkerRecord {
  // A platform bills a worker until it ends, failed or not; init only where it bills init.
  const billedMs = billsInit ? o.wallMs : (o.invokeMs ?? 0);
  return {
    coldStartMs: o.coldStartMs,
    readMs: o.report?.readMs ?? null,
    computeMs: o.report?.computeMs ?? null,
    writeMs: o.report?.writeMs ?? null,
    // The invocation on the host clock: ≥ the worker's own phases, the rest is IPC and runtime overhead.
    totalMs: o.invokeMs,
    peakMemoryMB: o.peakMemoryMB,
    billedMs,
    cold: true,
    queuedMs: o.spawnedAt - submittedAt,
    status: o.status,
    pid: o.pid,
    cpuMs: o.cpuMs,
    throttledMs: o.throttledMs,
    throttledPeriods: o.nrThrottled,
  };
}
