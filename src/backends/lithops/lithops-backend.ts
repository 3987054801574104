/**
 * The `lithops` backend: each stage run is a Lithops `map` of the stage's Python function
 * (`run: "package.module:function"`) over its partitions, done by the bridge
 * (python/rightsizer_lithops) that this backend starts once and keeps for later runs. Lithops
 * reaches AWS Lambda, Kubernetes, Code Engine, Cloud Run, … through the user's own Lithops config;
 * rightsizer sets only the keys the README lists. Runs go one at a time: two Lithops jobs at
 * once on one host can break each other (research/ANCHORS.md), and a stage's workers are the
 * parallelism being measured.
 */
import { isAbsolute, resolve } from 'node:path';
import { RightsizerError, inputError } from '../../core/errors.js';
import { appendJsonLine } from '../../store/index.js';
import type { Platform, ResolvedConfig } from '../../core/types.js';
import type { Backend, StageRunRequest, StageRunResult } from '../backend.js';
import { BridgeProcess } from './bridge-process.js';
import { bridgePythonDir, defaultPython } from './bridge-python.js';
import { stagePartitions } from './partitions.js';
import { failedRun, recordToRunResult } from './to-run-result.js';

export interface LithopsBackendOptions {
  platform: Platform;
  /** Stage modules are imported from here (it goes on the bridge's sys.path); relative config paths resolve against it. */
  workflowDir: string;
  /**
   * Where each run's `rightsizer.lithops-run/v1` record (Lithops' own future stats, as the bridge
   * replied) is appended: what `rightsizer import lithops-stats` reads, kept for other tools.
   */
  recordsPath?: string;
  /** The user's Lithops config: a YAML file or the config itself. Absent: Lithops' own lookup (LITHOPS_CONFIG_FILE, ~/.lithops/config). */
  lithopsConfig?: string | Record<string, unknown>;
  /** The interpreter with Lithops (default: RIGHTSIZER_PYTHON, else the project's .venv). */
  python?: string;
  /** Added to rightsizer's environment for the bridge (and so for Lithops and its local workers). */
  env?: Record<string, string>;
  /** For the bridge to import Lithops and say it is ready. Default 60 s. */
  readyTimeoutMs?: number;
  /** Past the stage's own timeout (which the bridge enforces through Lithops), how long before the bridge is killed. Default 30 s. */
  deadlineSlackMs?: number;
}

export class LithopsBackend implements Backend {
  readonly name = 'lithops';
  readonly platform: Platform;
  private bridge: BridgeProcess | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: LithopsBackendOptions) {
    this.platform = options.platform;
  }

  /** Lithops places the workers; the platform's limit is the only one rightsizer knows. */
  concurrency(_config: ResolvedConfig): number {
    return this.platform.maxConcurrency;
  }

  /** The bridge's `ready` message (Python and Lithops versions), starting it if needed. */
  async info(): Promise<Record<string, unknown>> {
    return (await this.ensureBridge()).ready ?? {};
  }

  runStage(req: StageRunRequest, signal?: AbortSignal): Promise<StageRunResult> {
    const run = this.queue.then(() => this.runNow(req, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.bridge?.stop();
    this.bridge = null;
  }

  private async runNow(req: StageRunRequest, signal?: AbortSignal): Promise<StageRunResult> {
    if (this.closed) throw new RightsizerError('internal', 'the lithops backend is closed');
    signal?.throwIfAborted();
    if (!req.stage.run)
      throw inputError(
        `stage "${req.stage.name}": the lithops backend needs run: "package.module:function"`,
        'name the Python function that processes one partition',
      );
    const bridge = await this.ensureBridge();
    const startedAt = new Date();
    const deadline = Date.now() + req.timeoutMs + (this.options.deadlineSlackMs ?? 30_000);
    const outcome = await bridge.request(this.bridgeRequest(req), deadline, signal);
    switch (outcome.kind) {
      case 'abort':
        await this.dropBridge();
        throw signal?.reason ?? new RightsizerError('internal', 'aborted');
      case 'deadline':
        await this.dropBridge();
        return failedRun(
          req,
          this.platform,
          startedAt,
          'timeout',
          `no reply from the Lithops bridge within ${req.timeoutMs} ms (+ slack); the bridge and its calls were killed`,
        );
      case 'died': {
        this.bridge = null;
        const tail = outcome.stderr ? `: ${outcome.stderr.slice(-1000)}` : '';
        return failedRun(
          req,
          this.platform,
          startedAt,
          'error',
          `the Lithops bridge ${outcome.why} during the stage run${tail}`,
        );
      }
      case 'reply': {
        const reply = outcome.message;
        if (reply.type === 'result') {
          if (this.options.recordsPath) await appendJsonLine(this.options.recordsPath, reply['record']);
          // A record no sample can hold is this run's error, not the profile's end.
          try {
            return recordToRunResult(reply['record'], req, this.platform);
          } catch (e) {
            if (!(e instanceof RightsizerError)) throw e;
            return failedRun(req, this.platform, startedAt, 'error', e.message);
          }
        }
        const message = String(reply['message'] ?? 'no message');
        if (reply.type === 'error' && reply['kind'] === 'input')
          throw inputError(
            `stage "${req.stage.name}": ${message}`,
            typeof reply['hint'] === 'string' ? reply['hint'] : undefined,
          );
        throw new RightsizerError('backend', `the Lithops bridge failed: ${message}`);
      }
    }
  }

  private bridgeRequest(req: StageRunRequest): Record<string, unknown> {
    const config = this.options.lithopsConfig;
    return {
      type: 'run',
      runId: req.runId,
      workflow: req.workflow,
      stage: req.stage.name,
      function: req.stage.run,
      pythonPath: [this.options.workflowDir],
      config: req.config,
      partitions: stagePartitions(req),
      lithopsConfig: typeof config === 'object' ? config : null,
      lithopsConfigFile:
        typeof config === 'string'
          ? isAbsolute(config)
            ? config
            : resolve(this.options.workflowDir, config)
          : null,
      timeoutMs: req.timeoutMs,
      inputBytes: req.inputBytes,
      platform: this.platform.id,
      rep: req.rep,
    };
  }

  private async ensureBridge(): Promise<BridgeProcess> {
    if (this.bridge?.alive) return this.bridge;
    await this.dropBridge();
    this.bridge = await BridgeProcess.start({
      python: this.options.python ?? defaultPython(),
      pythonDir: bridgePythonDir(),
      cwd: this.options.workflowDir,
      env: { ...process.env, ...this.options.env },
      readyTimeoutMs: this.options.readyTimeoutMs ?? 60_000,
    });
    return this.bridge;
  }

  private async dropBridge(): Promise<void> {
    const bridge = this.bridge;
    this.bridge = null;
    await bridge?.stop();
  }
}
