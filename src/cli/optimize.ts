import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { RightsizerError } from '../core/errors.js';
import { parseObjective } from '../optimizer/index.js';
import { profileWorkflow } from '../profiler/profile.js';
import { offCriticalPath } from '../profiler/stage-objective.js';
import { count, formatProbability, formatUSD } from '../report/format.js';
import { renderPlan } from '../report/plan-table.js';
import { note, print, printJson } from './io.js';
import { parseIntFlag, parsePercentile } from './options.js';
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
import { openSession, type Session, type SessionFlags } from './session.js';
import { runComparison, type Comparison } from '../compare/run-comparison.js';
import { renderComparison } from '../compare/render.js';
import type { Objective, Plan, Sample } from '../core/types.js';
import { inputError } from '../core/errors.js';
import { ProgressLine } from './progress.js';

interface OptimizeFlags extends SessionFlags, AdaptiveFlags {
  objective: string;
  percentile?: number;
  reps?: number;
  inputFraction: number;
  seed: number;
  out?: string;
  dryRun?: boolean;
  json?: boolean;
  compare?: string;
  compareReps: number;
}

export function registerOptimize(program: Command): void {
  const cmd = program
    .command('optimize')
    .description('profile adaptively until confident of the best config, train, plan → plan.json')
    .argument('<workflow>', 'workflow file (YAML or TS/JS module) or its folder')
    .requiredOption('--objective <goal>', 'cost | latency | balanced:W | deadline:D | budget:B')
    .option(
      '--percentile <p>',
      'optimise a percentile (50-99) of latency instead of the mean',
      parsePercentile,
    )
    .option(
      '--reps <n>',
      'repetitions per profiled config (default 1: a new config teaches the model more)',
      parseIntFlag('--reps', 1, 100),
    );
  addBackendFlags(addAdaptiveFlags(cmd))
    .option('--out <file>', 'where to save the plan (default: plan.json beside the workflow)')
    .option('--dry-run', 'print the sparse start and its predicted profiling time and cost; run nothing')
    .option('--json', 'print only the rightsizer.plan/v1 document (with --compare: and a comparison field)')
    .option(
      '--compare <what>',
      "after planning, run the plan, the best profiled config, flexecutor's and Lithops' defaults (`defaults`) and print measured time and cost",
      parseCompare,
    )
    .option(
      '--compare-reps <n>',
      'runs of each compared configuration',
      parseIntFlag('--compare-reps', 1, 100),
      5,
    )
    .action(async (workflowPath: string, flags: OptimizeFlags) => {
      const objective = parseObjective(flags.objective, flags.percentile ?? null);
      const session = await openSession(workflowPath, flags);
      try {
        const reps = flags.reps ?? 1;
        if (flags.dryRun) {
          const stages = await dryRun(
            session,
            'adaptive',
            undefined,
            reps,
            flags.seed,
            flags.inputFraction,
            flags.budgetRuns,
          );
          if (flags.json)
            printJson({
              schema: DRY_RUN_SCHEMA,
              design: 'adaptive',
              budgetRunsPerStage: flags.budgetRuns,
              stages,
            });
          else print(renderDryRun(stages, 'adaptive', flags.budgetRuns));
          return;
        }
        const progress = progressReporter(flags.json);
        const result = await profileWorkflow({
          workflow: session.workflow,
          backend: session.backend,
          platform: session.platform,
          samplesPath: session.samplesPath,
          design: 'adaptive',
          reps,
          seed: flags.seed,
          inputFraction: flags.inputFraction,
          adaptive: adaptiveOptions(flags, objective, session.registry),
          signal: session.signal,
          onEvent: progress.onEvent,
        });
        progress.done();
        const plan = {
          ...result.plan!,
          profiling: {
            samples: session.samplesPath,
            runs: result.stages.reduce((a, s) => a + s.runs, 0),
            ran: result.ran,
            resumed: result.resumed,
            costUSD: result.costUSD,
            epsilon: flags.epsilon,
            probabilityWithinEpsilon: result.probability,
            stages: result.stages.map((s) => ({
              stage: s.stage,
              runs: s.runs,
              probabilityWithinEpsilon: s.probability,
            })),
          },
        };
        const out = flags.out ?? join(session.workflow.dir, 'plan.json');
        writeFileSync(out, `${JSON.stringify(plan, null, 2)}\n`);
        if (!flags.json) {
          print(renderPlan(plan));
          const p = result.probability;
          print(
            `\nProfiled ${count(plan.profiling.runs, 'run')}` +
              (result.ran < plan.profiling.runs
                ? ` (${result.ran} new, ${plan.profiling.runs - result.ran} already in the samples file)`
                : '') +
              `, ${formatUSD(result.costUSD)}` +
              (p !== null
                ? `; P(within ${(flags.epsilon * 100).toFixed(0)} % of the optimum) ${formatProbability(p)}`
                : ''),
          );
          for (const s of result.stages)
            if (
              s.probability !== null &&
              s.probability < flags.threshold &&
              !offCriticalPath(objective, plan, s.stage)
            )
              note(
                `stage ${s.stage}: stopped by the budget at P ${formatProbability(s.probability)} (raise --budget-runs to profile more)`,
              );
          print(`Plan saved to ${out}`);
        }
        // An infeasible plan is not worth measuring: the closest plan misses its bound by design.
        const comparison =
          flags.compare && plan.feasible
            ? await compareDefaults(session, plan, objective, result.samples, flags)
            : null;
        if (flags.json) printJson(comparison ? { ...plan, comparison } : plan);
        noteFailedRuns(
          result.samples,
          session.workflow.stages.map((s) => s.name),
        );
        for (const line of result.advice) note(line);
        if (!plan.feasible)
          throw new RightsizerError(
            'infeasible',
            `no plan meets ${flags.objective}; the closest plan is shown`,
            "loosen the objective or widen the stages' space",
          );
      } finally {
        await session.close();
      }
    });
}

function parseCompare(text: string): string {
  if (text !== 'defaults') throw inputError(`--compare: "${text}" is not known`, 'use --compare defaults');
  return text;
}

async function compareDefaults(
  session: Session,
  plan: Plan,
  objective: Objective,
  samples: readonly Sample[],
  flags: OptimizeFlags,
): Promise<Comparison> {
  const line = ProgressLine.forCommand(flags.json);
  const comparison = await runComparison({
    workflow: session.workflow,
    plan,
    objective,
    samples,
    backend: session.backend,
    platform: session.platform,
    samplesPath: session.samplesPath,
    reps: flags.compareReps,
    seed: flags.seed,
    signal: session.signal,
    onProgress: (t) => line.update(t),
  });
  line.done();
  if (!flags.json) print(`\n${renderComparison(comparison, session.workflow.dag.order)}`);
  return comparison;
}
