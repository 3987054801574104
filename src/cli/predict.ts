import type { Command } from 'commander';
import { inputError } from '../core/errors.js';
import type { Platform, StageDef } from '../core/types.js';
import {
  axisRange,
  expectedRunCostUSD,
  isAllowedSize,
  resolveConfig,
  workerAxis,
} from '../platforms/index.js';
import { trainWorkflow, withResolvedVcpu } from '../pipeline/train.js';
import { finishesInTime, lognormalInterval, stageTimeoutMs } from '../optimizer/index.js';
import { formatMs, formatUSD, formatVcpu } from '../report/format.js';
import { print, printJson, warn } from './io.js';
import { loadCommon, type CommonFlags } from './load.js';
import { collect, parseBytesFlag, parseConfigFlag } from './options.js';
import { FAMILY_HELP, parseFamily } from './family-help.js';

interface PredictFlags extends CommonFlags {
  stage: string;
  config: { workers: number; memoryMB: number; vcpu?: number };
  inputBytes?: number;
  family: string;
  json?: boolean;
}

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('what if I ran a stage like this? predicted phases, makespan and cost, with intervals')
    .requiredOption('--samples <file>', 'samples file (rightsizer.sample/v1 JSON lines)')
    .requiredOption('--stage <name>', 'the stage to predict')
    .requiredOption('--config <cfg>', 'workers=N,memoryMB=M[,vcpu=V]', parseConfigFlag)
    .option(
      '--input-bytes <n>',
      "the stage's whole input (default: as profiled)",
      parseBytesFlag('--input-bytes'),
    )
    .option(
      '--workflow <file>',
      "the samples' workflow (file, or name in the samples): its platform, and only its own samples",
    )
    .option('--platform <id>', 'platform whose rules and prices apply')
    .option('--platform-file <file>', 'YAML file adding or overriding platforms (repeatable)', collect)
    .option('--family <name>', FAMILY_HELP, parseFamily, 'auto')
    .option('--strict', 'a bad sample line is fatal')
    .option('--json', 'print a rightsizer.prediction/v1 document')
    .action(async (flags: PredictFlags) => {
      const loaded = await loadCommon(flags);
      const platform = loaded.platforms[0]!;
      if (loaded.platforms.length > 1)
        throw inputError('--platform: predict takes one platform', 'give a single id');
      if (!loaded.samples.some((s) => s.stage === flags.stage)) {
        const known = [...new Set(loaded.samples.map((s) => s.stage))];
        throw inputError(
          `--stage: ${flags.samples} has no samples of stage "${flags.stage}"`,
          `stages with samples: ${known.join(', ') || 'none'}`,
        );
      }
      // The stage's own samples only: another stage's line cannot block this prediction.
      const samples = withResolvedVcpu(
        loaded.samples.filter((s) => s.stage === flags.stage),
        loaded.registry,
        platform,
        flags.samples,
      );
      const { models, warnings } = trainWorkflow(samples, {
        family: flags.family,
        stages: [flags.stage],
        source: flags.samples,
        registry: loaded.registry,
      });
      for (const w of warnings.filter((w) => !w.includes('not in the workflow'))) warn(w);
      const model = models.get(flags.stage)!;
      const cfg = resolveConfig(platform, flags.config);
      // A vCPU the platform derives from memory may be given as printed (3 decimals).
      const given = flags.config.vcpu;
      if (
        !isAllowedSize(platform, cfg.memoryMB, cfg.vcpu) ||
        (given !== undefined && Math.abs(given - cfg.vcpu) > 5e-4 + 1e-9)
      ) {
        const [lo, hi] = axisRange(platform.memoryMB);
        throw inputError(
          `--config: ${platform.id} does not offer ${cfg.memoryMB} MB${given !== undefined ? ` with ${given} vCPU` : ''}`,
          platform.cpu.kind === 'proportional'
            ? `memory ${lo}–${hi} MB, and the vCPU follows it (${cfg.memoryMB} MB: ${cfg.vcpu.toFixed(3)})`
            : '`rightsizer platforms` lists the sizes it offers',
        );
      }
      const wf = loaded.workflow;
      const def = wf?.stages.find((s) => s.name === flags.stage);
      if (wf && !def)
        throw inputError(
          `--stage: "${flags.stage}" is not a stage of workflow ${wf.name}`,
          `its stages: ${wf.stages.map((s) => s.name).join(', ')}`,
        );
      checkWorkers(cfg.workers, platform, def);
      const inputBytes = flags.inputBytes ?? model.profiledInputBytes ?? 0;
      const pred = model.predict(cfg, inputBytes, { concurrency: platform.maxConcurrency });
      // As the planner judges it: a config that runs out of memory, or whose run would pass the
      // stage's timeout more than 1 time in 10, is no config to run.
      const timeoutMs = stageTimeoutMs(platform, def ?? { name: flags.stage });
      const lateRisk = pred.feasible && !finishesInTime(pred, timeoutMs);
      const costUSD = expectedRunCostUSD(
        platform,
        cfg,
        pred.billedMs,
        pred.requestsPerWorker ?? model.requestsPerWorker,
      );
      const doc = {
        schema: 'rightsizer.prediction/v1',
        stage: flags.stage,
        platform: platform.id,
        config: cfg,
        inputBytes: model.profiledInputBytes === null && flags.inputBytes === undefined ? null : inputBytes,
        feasible: pred.feasible && !lateRisk,
        extrapolation: pred.extrapolation,
        phasesMs: pred.phasesMs,
        workerMs: pred.workerMs,
        makespanMs: pred.makespanMs,
        // One run's 5th–95th percentile, as `plan` prints it: a lognormal whose mean is the prediction.
        makespanIntervalMs: lognormalInterval(pred.makespanMs, pred.makespanLogSd, 0.9, model.intervalDf),
        costUSD,
        costIntervalUSD: lognormalInterval(
          costUSD,
          pred.runBilledLogSd ?? pred.billedLogSd,
          0.9,
          model.intervalDf,
        ),
        model: model.describe().family,
      };
      if (flags.json) return printJson(doc);
      const phases = Object.entries(pred.phasesMs)
        .map(([k, v]) => `${k} ${formatMs(v)}`)
        .join(', ');
      print(
        [
          `${flags.stage} on ${platform.id} at ${cfg.workers} worker${cfg.workers === 1 ? '' : 's'} × ${cfg.memoryMB} MB (${formatVcpu(cfg.vcpu)} vCPU)` +
            (!pred.feasible
              ? ' — INFEASIBLE: below the memory floor (learned from oom runs and the peak memory workers reported)'
              : lateRisk
                ? ` — INFEASIBLE: more than 1 run in 10 would pass the ${formatMs(timeoutMs)} timeout`
                : ''),
          `  phases per worker: ${phases}`,
          `  makespan ${formatMs(pred.makespanMs)} (90 % interval ${formatMs(doc.makespanIntervalMs[0])} – ${formatMs(doc.makespanIntervalMs[1])})`,
          `  cost ${formatUSD(costUSD)} per run (90 % interval ${formatUSD(doc.costIntervalUSD[0])} – ${formatUSD(doc.costIntervalUSD[1])})`,
          pred.extrapolation > 0
            ? `  note: ${pred.extrapolation.toFixed(2)} log units outside the profiled range: a guess, with a wider interval`
            : '',
          // A lognormal this wide has its mean above its 95th percentile: one run is usually far faster.
          pred.makespanMs > doc.makespanIntervalMs[1]
            ? '  note: the interval is so wide that the mean lies above it: the model knows little here'
            : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });
}

/** Past this many waves of the platform's concurrency, a worker count is a typo, not a what-if. */
const MAX_WAVES = 100;

/**
 * Refuses a worker count the stage or the platform cannot run (exit 2), naming what would be valid:
 * the stage's `space.workers` (a range or a list) within its maxWorkers — not capped at the
 * platform's concurrency, since a what-if may run in waves — and at most MAX_WAVES waves.
 */
function checkWorkers(workers: number, platform: Platform, stage: StageDef | undefined): void {
  const axis = stage ? workerAxis(stage.space, stage.maxWorkers) : null;
  if (stage && axis && 'list' in axis && !axis.list.includes(workers))
    throw inputError(
      `--config: workers=${workers} is not in stage "${stage.name}"'s space`,
      axis.list.length > 0
        ? `its workflow allows ${axis.list.join(', ')} workers`
        : 'its workflow allows no worker count',
    );
  if (stage && axis && 'lo' in axis && (workers < axis.lo || workers > axis.hi))
    throw inputError(
      `--config: workers=${workers} is outside stage "${stage.name}"'s space`,
      axis.hi < axis.lo
        ? 'its workflow allows no worker count (space.workers and maxWorkers do not meet)'
        : `its workflow allows ${axis.lo}–${Number.isFinite(axis.hi) ? axis.hi : 'any number of'} workers`,
    );
  const cap = platform.maxConcurrency * MAX_WAVES;
  if (workers > cap)
    throw inputError(
      `--config: workers=${workers} is more than ${MAX_WAVES} waves of ${platform.id}'s ${platform.maxConcurrency} concurrent workers`,
      `give at most ${cap} workers`,
    );
}
