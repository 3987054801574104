import type { Command } from 'commander';
import { count, formatProbability, formatUSD } from '../report/format.js';
import { inputError } from '../core/errors.js';
import { parseObjective } from '../optimizer/index.js';
import { gridDesign, parseConfigList } from '../profiler/grid.js';
import { DESIGNS, profileWorkflow, type DesignName } from '../profiler/profile.js';
import { note, print, printJson } from './io.js';
import { parseIntFlag } from './options.js';
import {
  addAdaptiveFlags,
  addBackendFlags,
  adaptiveOptions,
  dryRun,
  DRY_RUN_SCHEMA,
  noteFailedRuns,
  progressReporter,
  renderDryRun,
  type AdaptiveFlags,
} from './profile-common.js';
import { openSession, type SessionFlags } from './session.js';

interface ProfileFlags extends SessionFlags, AdaptiveFlags {
  design: string;
  configs?: string;
  reps?: number;
  inputFraction: number;
  seed: number;
  objective: string;
  dryRun?: boolean;
  json?: boolean;
}

export function registerProfile(program: Command): void {
  const cmd = program
    .command('profile')
    .description(
      'run a design of configs for every stage and append each run to the samples file (resumable)',
    )
    .argument('<workflow>', 'workflow file (YAML or TS/JS module) or its folder')
    .option('--design <name>', 'grid | sparse | adaptive', 'sparse')
    .option('--configs <list>', 'grid: the configs, e.g. "w=4,m=1024;w=8,m=2048"')
    .option('--reps <n>', 'repetitions per config (default 2; adaptive 1)', parseIntFlag('--reps', 1, 100));
  addAdaptiveFlags(
    addBackendFlags(cmd).option('--objective <goal>', 'adaptive: what to be sure of', 'cost'),
    'adaptive: ',
  )
    .option('--dry-run', 'print the design and its predicted profiling time and cost; run nothing')
    .option('--json', 'print only a JSON summary')
    .action(async (workflowPath: string, flags: ProfileFlags) => {
      if (!(DESIGNS as readonly string[]).includes(flags.design))
        throw inputError(`--design ${flags.design}: unknown design`, `use one of ${DESIGNS.join(', ')}`);
      const design = flags.design as DesignName;
      if (design === 'grid' && !flags.configs)
        throw inputError('--design grid needs --configs', 'e.g. --configs "w=4,m=1024;w=8,m=2048"');
      const session = await openSession(workflowPath, flags);
      try {
        const configs = flags.configs
          ? gridDesign(session.platform, parseConfigList(flags.configs))
          : undefined;
        const reps = flags.reps ?? (design === 'adaptive' ? 1 : 2);
        if (flags.dryRun) {
          const stages = await dryRun(
            session,
            design,
            configs,
            reps,
            flags.seed,
            flags.inputFraction,
            flags.budgetRuns,
          );
          if (flags.json) printJson({ schema: DRY_RUN_SCHEMA, design, stages });
          else print(renderDryRun(stages, design, design === 'adaptive' ? flags.budgetRuns : null));
          return;
        }
        const progress = progressReporter(flags.json);
        const result = await profileWorkflow({
          workflow: session.workflow,
          backend: session.backend,
          platform: session.platform,
          samplesPath: session.samplesPath,
          design,
          ...(configs ? { configs } : {}),
          reps,
          seed: flags.seed,
          inputFraction: flags.inputFraction,
          ...(design === 'adaptive'
            ? {
                adaptive: adaptiveOptions(flags, parseObjective(flags.objective, null), session.registry),
              }
            : {}),
          signal: session.signal,
          onEvent: progress.onEvent,
        });
        progress.done();
        const summary = {
          schema: 'rightsizer.profile-report/v1',
          samples: session.samplesPath,
          ran: result.ran,
          resumed: result.resumed,
          costUSD: result.costUSD,
          stages: result.stages,
        };
        noteFailedRuns(
          result.samples,
          session.workflow.stages.map((s) => s.name),
        );
        if (flags.json) printJson(summary);
        else {
          for (const s of result.stages)
            print(
              `${s.stage}: ${count(s.runs, 'run')}${s.probability !== null ? `, P(within ε) ${formatProbability(s.probability)}` : ''}`,
            );
          print(
            `${count(result.ran, 'run')} profiled, ${result.resumed} already in ${session.samplesPath}; profiling cost ${formatUSD(result.costUSD)}`,
          );
          if (session.backend.name === 'local')
            note('local runs are priced as the emulated platform would bill them');
        }
      } finally {
        await session.close();
      }
    });
}
