/**
 * What `profile`, `optimize` and `run` share: the workflow (YAML or TS), its platform, a backend
 * made by the registry, the samples file beside the workflow, and a clean stop on SIGINT/SIGTERM
 * (abort the run in flight, close the backend so no worker is left, exit 130).
 */
import { join } from 'node:path';
import type { Backend } from '../backends/backend.js';
import { createBackend } from '../backends/registry.js';
import type { Platform } from '../core/types.js';
import { PlatformRegistry } from '../platforms/index.js';
import type { LoadedWorkflow } from '../store/index.js';
import { loadAnyWorkflow } from '../store/workflow-module.js';
import { withParams } from './params.js';

export interface SessionFlags {
  samples?: string;
  backend?: string;
  exec?: string;
  scenario?: string;
  lithopsConfig?: string;
  platform?: string;
  platformFile?: string[];
  seed?: number;
  /** `key=value` overrides of the workflow's params (--param). */
  param?: string[];
}

export interface Session {
  workflow: LoadedWorkflow;
  registry: PlatformRegistry;
  platform: Platform;
  backend: Backend;
  samplesPath: string;
  signal: AbortSignal;
  /** Closes the backend and removes the signal handlers. */
  close(): Promise<void>;
}

/** `.rightsizer/samples.jsonl` beside the workflow file, unless --samples. */
export function defaultSamplesPath(workflow: LoadedWorkflow): string {
  return join(workflow.dir, '.rightsizer', 'samples.jsonl');
}

export async function openSession(workflowPath: string, flags: SessionFlags): Promise<Session> {
  const workflow = withParams(await loadAnyWorkflow(workflowPath), flags.param ?? []);
  const registry = PlatformRegistry.withFiles(flags.platformFile ?? []);
  const platform = registry.get(flags.platform ?? workflow.platform);
  const samplesPath = flags.samples ?? defaultSamplesPath(workflow);
  const backend = createBackend(flags.backend ?? workflow.backend, {
    platform,
    workflow,
    lithopsRecords: `${samplesPath.replace(/\.jsonl$/, '')}.lithops-runs.jsonl`,
    ...(flags.exec ? { exec: flags.exec } : {}),
    ...(flags.scenario ? { scenario: flags.scenario } : {}),
    ...(flags.lithopsConfig ? { lithopsConfig: flags.lithopsConfig } : {}),
    seed: flags.seed ?? 0,
  });
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    controller.abort(new Error(`interrupted by ${sig}`));
    process.stderr.write(
      `rightsizer: interrupted by ${sig}; stopping the runs in flight (the samples written are kept)\n`,
    );
    // 128 + the signal's number, as a shell reports it.
    void backend.close().finally(() => process.exit(sig === 'SIGTERM' ? 143 : 130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    workflow,
    registry,
    platform,
    backend,
    samplesPath,
    signal: controller.signal,
    close: async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await backend.close();
    },
  };
}
