/**
 * The one place a backend is made from its name (Lithops's pattern: every backend behind the same
 * call). `--backend` overrides the workflow's `backend`; an unknown name is a usage error listing
 * the valid ones.
 */
import { inputError } from '../core/errors.js';
import type { Platform } from '../core/types.js';
import type { LoadedWorkflow } from '../store/index.js';
import type { Backend } from './backend.js';
import { ExecBackend } from './exec/index.js';
import { LithopsBackend, lithopsConfigOf } from './lithops/index.js';
import { LocalBackend } from './local/index.js';
import { SimBackend, loadScenarioFile } from './sim/index.js';

export const BACKEND_NAMES = ['local', 'exec', 'sim', 'lithops'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface CreateBackendOptions {
  platform: Platform;
  workflow: LoadedWorkflow;
  /** `exec`: the engine's command line. */
  exec?: string;
  /** `sim`: the scenario file (default `<workflow dir>/scenario.yaml`). */
  scenario?: string;
  /** `sim`: mixed into every run's draws. */
  seed?: number;
  /** `lithops`: a Lithops config file, used instead of the workflow's `lithops.config`. */
  lithopsConfig?: string;
  /** `local`: the object store's folder (default `<workflow dir>/.rightsizer/store`). */
  storeRoot?: string;
}

export function createBackend(name: string, options: CreateBackendOptions): Backend {
  const { platform, workflow } = options;
  switch (name) {
    case 'local':
      return new LocalBackend({
        platform,
        workflowDir: workflow.dir,
        ...(options.storeRoot ? { storeRoot: options.storeRoot } : {}),
      });
    case 'exec':
      if (!options.exec)
        throw inputError(
          '--backend exec needs --exec "CMD ARGS"',
          'the command that runs one stage (ARCHITECTURE.md "Exec backend protocol")',
        );
      return new ExecBackend(options.exec, platform, { cwd: workflow.dir });
    case 'sim': {
      const file = options.scenario ?? `${workflow.dir}/scenario.yaml`;
      return new SimBackend({ platform, scenarios: loadScenarioFile(file), seed: options.seed ?? 0 });
    }
    case 'lithops': {
      const lithopsConfig = options.lithopsConfig ?? lithopsConfigOf(workflow);
      return new LithopsBackend({
        platform,
        workflowDir: workflow.dir,
        ...(lithopsConfig ? { lithopsConfig } : {}),
      });
    }
    default:
      throw inputError(`--backend ${name}: unknown backend`, `use one of ${BACKEND_NAMES.join(', ')}`);
  }
}
