/**
 * The profiling half of `profile` and `optimize`: flags shared by both, the dry run's table, and
 * the progress line fed by the profiler's events.
 */
import type { Command } from 'commander';
import { formatMs, formatProbability, formatUSD } from '../report/format.js';
import { LocalBackend } from '../backends/local/index.js';
import { SimBackend } from '../backends/sim/index.js';
import type { Objective, ResolvedConfig, Sample } from '../core/types.js';
import { readsFrom } from '../core/dag.js';
import type { PlatformRegistry } from '../platforms/index.js';
import { dryRunStage, type DryRunStage } from '../profiler/dry-run.js';
import { movedIntoSpace, stageSpace } from '../profiler/space.js';
import {
  initialDesign,
  type AdaptiveOptions,
  type DesignName,
  type ProfileEvent,
} from '../profiler/profile.js';
import { headline } from '../core/text.js';
import { readSamples } from '../store/index.js';
import { collect, parseConfidence, parseIntFlag, parseNumberFlag } from './options.js';
import { ProgressLine } from './progress.js';
import type { Session } from './session.js';
import { note, warn } from './io.js';

/** Flags of every command that runs a workflow (`profile`, `optimize`, `run`): where samples go, which backend runs. */
export function addSessionFlags(cmd: Command): Command {
  return cmd
    .option('--samples <file>', 'samples file (default: .rightsizer/samples.jsonl beside the workflow)')
    .option('--backend <name>', "local | exec | sim | lithops (default: the workflow's backend)")
    .option('--exec <cmd>', 'exec backend: the command that runs one stage')
    .option(
      '--lithops-config <file>',
      "lithops backend: Lithops' config file (default: the workflow's lithops.config)",
    )
    .option(
      '--scenario <file>',
      'sim backend: the scenario file (default: scenario.yaml beside the workflow)',
    )
    .option('--platform-file <file>', 'YAML file adding or overriding platforms (repeatable)', collect)
    .option('--seed <n>', 'seed of the design and the simulator', parseIntFlag('--seed'), 0)
    .option(
      '--param <key=value>',
      'override a workflow param, e.g. --param size=medium (repeatable)',
      collect,
    );
}

/** `profile` and `optimize`: the session's flags, the platform, and profiling on part of the input. */
export function addBackendFlags(cmd: Command): Command {
  return addSessionFlags(cmd)
    .option('--platform <id>', "platform whose rules and prices apply (default: the workflow's)")
    .option(
      '--input-fraction <f>',
      'profile on this fraction of the input, predict at full size',
      parseNumberFlag('--input-fraction', 1e-6, 1),
      1,
    );
}

/** The adaptive design's stopping rule and budgets, as `profile --design adaptive` and `optimize` take them. */
export interface AdaptiveFlags {
  epsilon: number;
  threshold: number;
  budgetRuns: number;
  budgetUsd?: number;
  confidence?: number;
}

/** Adds the adaptive design's flags; `prefix` says when they apply (`profile`: "adaptive: "). */
export function addAdaptiveFlags(cmd: Command, prefix = ''): Command {
  return cmd
    .option(
      '--epsilon <e>',
      `${prefix}stop once the plan is within ε of the optimum with --threshold probability`,
      parseNumberFlag('--epsilon', 0.001, 1),
      0.03,
    )
    .option(
      '--threshold <p>',
      `${prefix}the probability to reach`,
      parseNumberFlag('--threshold', 0.5, 0.999),
      0.9,
    )
    .option(
      '--budget-runs <n>',
      `${prefix}profile runs per stage at most, repetitions included`,
      parseIntFlag('--budget-runs', 1),
      10,
    )
    .option(
      '--budget-usd <x>',
      `${prefix}profiling spend in USD at most, all stages`,
      parseNumberFlag('--budget-usd', 0, 1e9),
    )
    .option(
      '--confidence <p>',
      `${prefix}probability a deadline or budget must hold with (default 0.9)`,
      parseConfidence,
    );
}

/** The profiler's adaptive options from those flags. */
export function adaptiveOptions(
  flags: AdaptiveFlags,
  objective: Objective,
  registry: PlatformRegistry,
): AdaptiveOptions {
  return {
    objective,
    epsilon: flags.epsilon,
    threshold: flags.threshold,
    budgetRuns: flags.budgetRuns,
    ...(flags.budgetUsd !== undefined ? { budgetUSD: flags.budgetUsd } : {}),
    ...(flags.confidence !== undefined ? { confidence: flags.confidence } : {}),
    registry,
  };
}

// Not known before the input's size is: '?', where formatMs and formatUSD would say '–'.
const fmtMs = (ms: number | null): string => (ms === null ? '?' : formatMs(ms));
const fmtUSD = (usd: number | null): string => (usd === null ? '?' : formatUSD(usd));
/**
 * A note the backend repeats for every run whatever the stage (the local backend's isolation and
 * its cores, the Lithops bridge's localhost), as said once: null for a note about one stage.
 */
export function backendNote(n: string): string | null {
  if (n.startsWith('isolation:') || n.startsWith('cores:')) return `local backend ${n}`;
  return n.startsWith('lithops localhost:') ? n : null;
}

export const fmtConfig = (c: ResolvedConfig): string =>
  `${c.workers} × ${c.memoryMB} MB (${Number(c.vcpu.toFixed(3))} vCPU)`;

/** The `--dry-run --json` document of profile and optimize. */
export const DRY_RUN_SCHEMA = 'rightsizer.dry-run/v1';

export async function dryRun(
  session: Session,
  design: DesignName,
  configs: readonly ResolvedConfig[] | undefined,
  reps: number,
  seed: number,
  fraction: number,
  budgetRuns?: number,
): Promise<DryRunStage[]> {
  const { samples } = await readSamples(session.samplesPath, { allowEmpty: true });
  const own: Sample[] = samples.filter((s) => s.workflow === session.workflow.name);
  const out: DryRunStage[] = [];
  for (const name of session.workflow.dag.order) {
    const def = session.workflow.stages.find((s) => s.name === name)!;
    const cfgs = initialDesign(session.platform, def, design, configs, undefined, seed, budgetRuns, reps);
    let inputBytes = def.inputBytes ?? null;
    const b = session.backend;
    if (inputBytes === null && b instanceof SimBackend) inputBytes = b.inputBytesOf(def);
    if (
      inputBytes === null &&
      b instanceof LocalBackend &&
      readsFrom(def, session.workflow.dag.parents.get(name) ?? []).length === 0
    ) {
      const input = def.input as { prefix?: string } | undefined;
      if (typeof input?.prefix === 'string') {
        const objects = await b.store.list(input.prefix);
        if (objects.length > 0) inputBytes = objects.reduce((s, o) => s + o.bytes, 0);
      }
    }
    const stage = dryRunStage(
      session.platform,
      b,
      def,
      cfgs,
      reps,
      inputBytes === null ? null : inputBytes * fraction,
      own,
      design !== 'grid',
    );
    const moved = design === 'grid' ? movedIntoSpace(stageSpace(session.platform, def), configs ?? []) : [];
    out.push({
      ...stage,
      ...(inputBytes === null ? { inputUnknown: whyInputUnknown(session.workflow, name) } : {}),
      ...(moved.length > 0 ? { moved } : {}),
    });
  }
  return out;
}

/** Why a stage's input size is not known before anything runs, and what would tell it. */
function whyInputUnknown(workflow: Session['workflow'], stage: string): string {
  const def = workflow.stages.find((s) => s.name === stage);
  const parents = def ? readsFrom(def, workflow.dag.parents.get(stage) ?? []) : [];
  if (parents.length > 0) return `its input is ${parents.join(' and ')}'s output, made when profiling runs`;
  if (!def?.input) return 'the stage names no input and gives no inputBytes';
  if (workflow.setup) return "its input is made by the workflow's setup, which a dry run does not run";
  return 'its input holds nothing yet and the stage gives no inputBytes';
}

export function renderDryRun(
  stages: readonly DryRunStage[],
  design: DesignName,
  budgetRuns: number | null,
): string {
  const lines: string[] = [
    `  ${'config (workers × memory)'.padEnd(34)} reps  ${'each run'.padStart(9)}   cost of a run`,
  ];
  for (const s of stages) {
    lines.push(
      s.inputBytes === null && s.source === 'unknown'
        ? `${s.stage}  (input size unknown: ${s.inputUnknown ?? 'not given'})`
        : `${s.stage}  (input ${s.inputBytes === null ? 'unknown' : `${(s.inputBytes / 1024 ** 2).toFixed(1)} MB`}; predicted by ${s.source})`,
    );
    for (const m of s.moved ?? [])
      lines.push(`  (${fmtConfig(m.from)} is outside the stage's space: run at the nearest config in it)`);
    for (const c of s.leftOut ?? [])
      lines.push(
        `  (${fmtConfig(c)} left out: the runs before it show its partition needs more than the largest size)`,
      );
    for (const c of s.configs)
      lines.push(
        `  ${fmtConfig(c.config).padEnd(34)} × ${String(c.reps).padEnd(3)} ${fmtMs(c.makespanMs).padStart(9)}   ${fmtUSD(c.costUSD)}` +
          (c.done > 0 ? `   (${c.done} already in the samples file)` : ''),
      );
  }
  const time = stages.every((s) => s.makespanMs !== null)
    ? stages.reduce((a, s) => a + s.makespanMs!, 0)
    : null;
  const cost = stages.every((s) => s.costUSD !== null) ? stages.reduce((a, s) => a + s.costUSD!, 0) : null;
  const runs = stages.reduce((a, s) => a + s.configs.reduce((b, c) => b + c.reps, 0), 0);
  const head = `${design === 'adaptive' ? 'sparse start' : `${design} design`}: ${runs} runs`;
  lines.push(
    '',
    time === null && cost === null
      ? `${head}; its time and cost are predicted once every stage's input size is known (give each stage's inputBytes, or dry-run again after a first profile)`
      : `${head}, about ${fmtMs(time)} of profiling, ${fmtUSD(cost)}`,
  );
  if (design === 'adaptive' && budgetRuns !== null)
    lines.push(
      `adaptive adds at most ${budgetRuns} runs per stage in all (the start included), or less once it is confident`,
    );
  return lines.join('\n');
}

/** Progress on a TTY; problems and set-aside torn lines always said on stderr. */
export function progressReporter(json: boolean | undefined): {
  onEvent: (e: ProfileEvent) => void;
  done: () => void;
} {
  const line = ProgressLine.forCommand(json);
  let runs = 0;
  let resumed = 0;
  const said = new Set<string>();
  return {
    onEvent: (e) => {
      if (e.kind === 'problem') warn(`samples: line ${e.problem.line}: ${e.problem.reason} (skipped)`);
      else if (e.kind === 'set-aside')
        warn(`samples: a torn last line (an interrupted write) was moved to ${e.path}`);
      else if (e.kind === 'setup' && e.outcome === 'ran') {
        line.done();
        if (!json) note('setup ran');
      } else if (e.kind === 'run') {
        if (e.resumed) resumed++;
        else runs++;
        // Each thing a backend says once: the local backend repeats its isolation mode (and that a
        // share past the cores gets the whole machine) every run,
        // the Lithops bridge that localhost ignores memory (each said once for the backend); any
        // other note once per stage.
        for (const n of e.notes ?? []) {
          const text = backendNote(n) ?? `profile ${e.stage}: ${n}`;
          if (said.has(text)) continue;
          said.add(text);
          line.done();
          // On stderr under --json too: how the runs were isolated is part of what they measured.
          note(text);
        }
        line.update(
          `profile ${e.stage}: ${fmtConfig(e.config)} rep ${e.rep} ${e.sample.status}  (${runs} run${resumed ? `, ${resumed} resumed` : ''})`,
        );
      } else if (e.kind === 'moved') {
        line.done();
        const shown = e.configs.slice(0, 3).map((m) => `${fmtConfig(m.from)} → ${fmtConfig(m.to)}`);
        const more = e.configs.length > 3 ? ` and ${e.configs.length - 3} more` : '';
        note(
          `profile ${e.stage}: outside its space (workers, memory, maxWorkers), so run at the nearest config in it: ${shown.join('; ')}${more}`,
        );
      } else if (e.kind === 'skip') {
        line.done();
        if (!json)
          note(
            `profile ${e.stage}: ${fmtConfig(e.config)} left out: the runs before it show or estimate that its partition needs more than the largest size`,
          );
      } else if (e.kind === 'confidence')
        line.update(
          `profile ${e.stage}: P(within ε) ${formatProbability(e.probability)} after ${e.runs} runs`,
        );
      else if (e.kind === 'dispute')
        line.update(
          `profile ${e.stage}: ${e.family}'s fit finds ${fmtConfig(e.config)} ${Math.round(100 * e.gain)} % better than the answer: running it`,
        );
    },
    done: () => line.done(),
  };
}

/**
 * Says how many of the stages' runs failed with an error (left out of every fit) and the last
 * one's reason: a profile whose engine fails at some configs must not read as a clean one.
 */
export function noteFailedRuns(samples: readonly Sample[], stages: readonly string[]): void {
  const names = new Set(stages);
  const failed = samples.filter((s) => s.status === 'error' && names.has(s.stage));
  if (failed.length === 0) return;
  const last = failed[failed.length - 1]!;
  const reason = headline(last.error ?? '') || 'no reason given';
  note(
    `${failed.length} of ${samples.filter((s) => names.has(s.stage)).length} runs failed with an error and are left out of the fit (configs that only failed are never planned); the last, stage ${last.stage} at ${last.config.workers} × ${last.config.memoryMB} MB: ${reason.slice(0, 200)}`,
  );
}
