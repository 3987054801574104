import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import Table from 'cli-table3';
import { inputError, RightsizerError } from '../core/errors.js';
import { headline, stripBom } from '../core/text.js';
import { PlanSchema, type Plan, type Sample } from '../core/types.js';
import { formatZodError } from '../core/zod-issue.js';
import { PlatformRegistry, resolveVcpu } from '../platforms/index.js';
import { runPlan } from '../profiler/run-plan.js';
import { count, formatMs, formatUSD } from '../report/format.js';
import { note, print, printJson } from './io.js';
import { LocalBackend } from '../backends/local/index.js';
import { parseIntFlag } from './options.js';
import { addSessionFlags, backendNote, fmtConfig } from './profile-common.js';
import { ProgressLine } from './progress.js';
import { openSession, type SessionFlags } from './session.js';

interface RunFlags extends SessionFlags {
  plan: string;
  reps: number;
  seed: number;
  json?: boolean;
}

function readPlan(path: string, registry: PlatformRegistry): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(readFileSync(path, 'utf8')));
  } catch (e) {
    throw inputError(
      `--plan ${path}: cannot read (${(e as Error).message.split('\n')[0]})`,
      'give the plan.json written by optimize or plan --json',
    );
  }
  const parsed = PlanSchema.safeParse(withDerivedVcpu(raw, registry));
  if (!parsed.success) throw inputError(`--plan ${path}: ${formatZodError(parsed.error)}`);
  return parsed.data;
}

/**
 * A config's vcpu is optional where the platform derives it from memory (ARCHITECTURE.md): a
 * hand-written plan may leave it out, and gets the platform's share.
 */
function withDerivedVcpu(raw: unknown, registry: PlatformRegistry): unknown {
  const doc = raw as { platform?: unknown; stages?: { config?: Record<string, unknown> }[] } | null;
  if (!doc || typeof doc.platform !== 'string' || !registry.ids().includes(doc.platform)) return raw;
  if (!Array.isArray(doc.stages)) return raw;
  const platform = registry.get(doc.platform);
  const stages = doc.stages.map((s) => {
    const c = s?.config;
    if (!c || c.vcpu !== undefined || typeof c.memoryMB !== 'number') return s;
    try {
      return { ...s, config: { ...c, vcpu: resolveVcpu(platform, c.memoryMB) } };
    } catch {
      return s;
    }
  });
  return { ...doc, stages };
}

const ratio = (m: number | null, p: number | null): string =>
  m === null || p === null || p <= 0 ? '–' : `${m >= p ? '+' : ''}${((m / p - 1) * 100).toFixed(0)} %`;

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description(
      "execute the workflow at a plan's configs; print predicted vs measured; append the runs as samples",
    )
    .argument('<workflow>', 'workflow file (YAML or TS/JS module) or its folder')
    .requiredOption('--plan <file>', 'the plan (rightsizer.plan/v1)')
    .option('--reps <n>', 'how many times to run the workflow', parseIntFlag('--reps', 1, 1000), 1);
  addSessionFlags(cmd)
    .option(
      '--json',
      'print only the rightsizer.run-report/v1 document (predicted against measured per stage)',
    )
    .action(async (workflowPath: string, flags: RunFlags) => {
      const plan = readPlan(flags.plan, PlatformRegistry.withFiles(flags.platformFile ?? []));
      const session = await openSession(workflowPath, { ...flags, platform: plan.platform });
      const line = ProgressLine.forCommand(flags.json);
      try {
        const result = await runPlan({
          workflow: session.workflow,
          plan,
          backend: session.backend,
          platform: session.platform,
          samplesPath: session.samplesPath,
          reps: flags.reps,
          seed: flags.seed,
          signal: session.signal,
          onSample: (s) => line.update(`run ${s.stage}: ${s.status}`),
        });
        line.done();
        // On stderr under --json too: how the runs were isolated is part of what they measured.
        for (const n of result.notes) note(backendNote(n) ?? n);
        if (flags.json) {
          printJson(
            result.stages.length
              ? {
                  schema: 'rightsizer.run-report/v1',
                  workflow: plan.workflow,
                  stages: result.stages,
                  total: result.workflow,
                  samples: session.samplesPath,
                }
              : { schema: 'rightsizer.run-report/v1', workflow: plan.workflow, stages: [] },
          );
          failIfAnyFailed(result.samples);
          return;
        }
        const table = new Table({
          head: ['stage', 'config', 'latency predicted', 'measured', 'Δ', 'cost predicted', 'measured', 'Δ'],
          style: { head: [], border: [] },
        });
        for (const s of result.stages) {
          const cfg = plan.stages.find((p) => p.stage === s.stage)!.config;
          table.push([
            s.stage + (s.measured.failed ? ` (${s.measured.failed} failed)` : ''),
            fmtConfig(cfg),
            formatMs(s.predicted.latencyMs),
            formatMs(s.measured.latencyMs),
            ratio(s.measured.latencyMs, s.predicted.latencyMs),
            formatUSD(s.predicted.costUSD),
            formatUSD(s.measured.costUSD),
            ratio(s.measured.costUSD, s.predicted.costUSD),
          ]);
        }
        const w = result.workflow;
        table.push([
          'workflow',
          '',
          formatMs(w.predicted.latencyMs),
          formatMs(w.measured.latencyMs),
          ratio(w.measured.latencyMs, w.predicted.latencyMs),
          formatUSD(w.predicted.costUSD),
          formatUSD(w.measured.costUSD),
          ratio(w.measured.costUSD, w.predicted.costUSD),
        ]);
        print(
          `Predicted vs measured, ${flags.reps} run${flags.reps > 1 ? 's' : ''} of ${plan.workflow} (${session.backend.name} backend)`,
        );
        print(table.toString());
        print(
          `${count(result.samples.length, 'run')} appended to ${session.samplesPath}: train, plan and optimize use them`,
        );
        const store = session.backend instanceof LocalBackend ? session.backend.store.root : null;
        for (const r of result.results)
          if (r.keys.length > 0)
            print(
              `results of ${r.stage}: ${count(r.keys.length, 'object')} under ${commonPrefix(r.keys)}${store ? ` in ${store}` : ''}`,
            );
        failIfAnyFailed(result.samples);
      } finally {
        await session.close();
      }
    });
}

/**
 * A run of the plan that failed fails the command (exit 1), after the table: a stage with no
 * downstream stage does not stop the others, but its failure must not read as success.
 */
function failIfAnyFailed(samples: readonly Sample[]): void {
  const failed = samples.filter((s) => s.status !== 'ok');
  if (failed.length === 0) return;
  const last = failed[failed.length - 1]!;
  const reason = headline(last.error ?? '');
  throw new RightsizerError(
    'backend',
    `${count(failed.length, 'run')} of ${samples.length} failed; the last, stage ${last.stage} (${last.status}${reason ? `: ${reason.slice(0, 200)}` : ''})`,
    'the runs were appended to the samples file',
  );
}

/** The longest shared prefix of the keys, cut after its last '/' (a run's output folder). */
function commonPrefix(keys: readonly string[]): string {
  let p = keys[0] ?? '';
  for (const k of keys) while (!k.startsWith(p)) p = p.slice(0, -1);
  return p.slice(0, p.lastIndexOf('/') + 1) || p;
}
