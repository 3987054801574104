import type { Command } from 'commander';
import { RightsizerError } from '../core/errors.js';
import { parseObjective } from '../optimizer/index.js';
import { planFromSamples } from '../pipeline/plan.js';
import { renderPlan } from '../report/plan-table.js';
import { note, print, printJson, warn } from './io.js';
import { loadCommon, type CommonFlags } from './load.js';
import { collect, parseBytesFlag, parseConfidence, parseIntFlag, parsePercentile } from './options.js';
import { FAMILY_HELP, parseFamily } from './family-help.js';

interface PlanFlags extends CommonFlags {
  objective: string;
  percentile?: number;
  confidence?: number;
  inputBytes?: number;
  family: string;
  seed: number;
  json?: boolean;
  verbose?: boolean;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('recommend workers, memory and vCPU for every stage, for an objective')
    .requiredOption('--samples <file>', 'samples file (rightsizer.sample/v1 JSON lines)')
    .option(
      '--workflow <file>',
      'workflow file or folder: its DAG, spaces and input sizes (or the name of a workflow in the samples)',
    )
    .option('--objective <goal>', 'cost | latency | balanced:W | deadline:D | budget:B', 'cost')
    .option(
      '--percentile <p>',
      'optimise a percentile (50-99) of latency instead of the mean',
      parsePercentile,
    )
    .option(
      '--confidence <p>',
      'probability a deadline or budget must hold with (default 0.9)',
      parseConfidence,
    )
    .option('--platform <ids>', 'platform id(s), comma-separated to plan side by side')
    .option('--platform-file <file>', 'YAML file adding or overriding platforms (repeatable)', collect)
    .option(
      '--input-bytes <n>',
      'plan for this input size (the root stages); e.g. 10GiB',
      parseBytesFlag('--input-bytes'),
    )
    .option('--family <name>', FAMILY_HELP, parseFamily, 'auto')
    .option('--strict', 'a bad sample line is fatal')
    .option('--seed <n>', 'seed of the Monte Carlo', parseIntFlag('--seed'), 0)
    .option('--verbose', 'also say how the plan was found (search, composition, Monte Carlo)')
    .option('--json', 'print only the rightsizer.plan/v1 document (an array for several platforms)')
    .action(async (flags: PlanFlags) => {
      const objective = parseObjective(flags.objective, flags.percentile ?? null);
      const loaded = await loadCommon(flags, true);
      const outcome = planFromSamples({
        samples: loaded.samples,
        workflow: loaded.workflow,
        platforms: loaded.platforms,
        registry: loaded.registry,
        objective,
        inputBytes: flags.inputBytes,
        family: flags.family,
        confidence: flags.confidence,
        seed: flags.seed,
        source: flags.samples,
      });
      for (const w of outcome.warnings) warn(w);
      if (flags.verbose) for (const n of outcome.notes) note(n);
      for (const a of outcome.advice) note(a);
      const { plans, unplanned } = outcome;
      if (flags.json) printJson(loaded.platforms.length === 1 ? plans[0] : plans);
      else print(plans.map(renderPlan).join('\n\n'));
      for (const u of unplanned) warn(`${u.platform}: no plan: ${u.error.message}`);
      const infeasible = plans.filter((p) => !p.feasible).map((p) => p.platform);
      if (infeasible.length > 0 || unplanned.length > 0)
        throw new RightsizerError(
          'infeasible',
          [
            ...(infeasible.length > 0
              ? [`no plan meets ${flags.objective} on ${infeasible.join(', ')}; the closest plan is shown`]
              : []),
            ...(unplanned.length > 0
              ? [`no feasible config on ${unplanned.map((u) => u.platform).join(', ')}`]
              : []),
          ].join('; '),
          infeasible.length > 0
            ? "loosen the objective, lower --confidence, or widen the stages' space"
            : unplanned[0]!.error.hint,
        );
    });
}
