/**
 * Real data (../shared/data, not in the repository): flexecutor's and Jolteon's AWS Lambda
 * profiles. Protocol of the issue: per stage and trial, samples at 7 of the measured configs × 3
 * repetitions (seeded; Jolteon has 2 warm epochs, so 2), the space restricted to the measured
 * set, truth = the means over all measured repetitions, cost and latency objectives.
 *
 * The measured set need not be a cross product (Jolteon's ML-Pipeline has 1024 MB only with 8–32
 * functions, flexecutor's titanic 5 worker counts at 512 MB), while a stage's `space` holds one
 * list per axis. So the planner gets the cross product of the measured memories and worker
 * counts, and a plan that lands on an unmeasured pair (whose truth is unknown) is post-filtered:
 * replaced by the measured pair the same fitted model predicts best for the objective. The
 * section reports how often that happened.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32, hashKey } from '../../src/core/prng.js';
import type { FittedStageModel, Platform, Sample, StageDef } from '../../src/core/types.js';
import { fitStage } from '../../src/models/index.js';
import { expectedRunCostUSD, runCostUSD } from '../../src/platforms/cost.js';
import type { PlatformRegistry } from '../../src/platforms/index.js';
import { resolveVcpu } from '../../src/platforms/resources.js';
import { importFlexecutorDir } from '../../src/store/index.js';
import { objectiveValue, regret, type BenchObjective } from '../lib/objective.js';
import { planStage } from '../lib/plan.js';
import { configMeans, type ConfigMean } from '../lib/profile.js';
import { table, type SectionResult } from '../lib/section.js';
import { median, pct, quantile } from '../lib/stats.js';
import { bestSampled } from '../peers/best-sampled.js';
import { fitFlexecutor } from '../peers/flexecutor.js';
import { JOLTEON_WORKFLOWS, jolteonSamples } from '../real/jolteon.js';

const CONFIGS = 7;
const OBJECTIVES: BenchObjective[] = [{ kind: 'cost' }, { kind: 'latency' }];
const METHODS = ['rightsizer', 'best sampled', 'flexecutor'] as const;
type Method = (typeof METHODS)[number];

interface RealStage {
  source: 'flexecutor' | 'jolteon';
  workflow: string;
  stage: string;
  platform: Platform;
  samples: Sample[];
  /** Repetitions per config used as samples. */
  reps: number;
}

interface Case {
  source: string;
  label: string;
  objective: string;
  regret: Record<Method, number>;
  postFiltered: boolean;
}

const key = (w: number, m: number): string => `${w}|${m}`;

function costOf(platform: Platform): (s: Sample) => number {
  return (s) =>
    s.costUSD ??
    runCostUSD(
      platform,
      {
        workers: s.config.workers,
        memoryMB: s.config.memoryMB,
        vcpu: resolveVcpu(platform, s.config.memoryMB),
      },
      s.workers.map((w) => w.billedMs ?? w.totalMs ?? 0),
    );
}

async function loadStages(
  dataDir: string,
  registry: PlatformRegistry,
): Promise<{ stages: RealStage[]; notes: string[] }> {
  const stages: RealStage[] = [];
  const notes: string[] = [];
  const flexDir = join(dataDir, 'flexecutor-lambda', 'examples');
  if (existsSync(flexDir)) {
    for (const ex of ['ml', 'video', 'titanic', 'montecarlo_pi_estimation']) {
      const dir = join(flexDir, ex, 'profiling');
      if (!existsSync(dir)) continue;
      const { samples, warnings } = await importFlexecutorDir(dir, { name: ex, platform: 'auto' });
      if (warnings.length)
        notes.push(`flexecutor ${ex}: ${warnings.length} import warnings (first: ${warnings[0]})`);
      const groups = new Map<string, Sample[]>();
      for (const s of samples) {
        const k = `${s.platform}|${s.stage}`;
        groups.set(k, [...(groups.get(k) ?? []), s]);
      }
      for (const [k, list] of groups) {
        const [platformId, stage] = k.split('|') as [string, string];
        stages.push({
          source: 'flexecutor',
          workflow: ex,
          stage,
          platform: registry.get(platformId),
          samples: list,
          reps: 3,
        });
      }
    }
  }
  const jDir = join(dataDir, 'jolteon');
  if (existsSync(join(jDir, 'profiles'))) {
    const x86 = registry.get('aws-lambda-x86');
    for (const wf of JOLTEON_WORKFLOWS) {
      const samples = await jolteonSamples(jDir, wf, x86);
      const byStage = new Map<string, Sample[]>();
      for (const s of samples) byStage.set(s.stage, [...(byStage.get(s.stage) ?? []), s]);
      for (const [stage, list] of byStage)
        stages.push({ source: 'jolteon', workflow: wf.name, stage, platform: x86, samples: list, reps: 2 });
    }
  }
  return { stages, notes };
}

/** Picks `count` configs and up to `reps` repetitions of each, seeded. */
function choose(samples: readonly Sample[], count: number, reps: number, seed: number): Sample[] {
  const rng = mulberry32(seed);
  const by = new Map<string, Sample[]>();
  for (const s of samples)
    by.set(key(s.config.workers, s.config.memoryMB), [
      ...(by.get(key(s.config.workers, s.config.memoryMB)) ?? []),
      s,
    ]);
  const keys = [...by.keys()].sort();
  const picked: Sample[] = [];
  for (let i = 0; i < Math.min(count, keys.length); i++) {
    const j = i + Math.floor(rng.next() * (keys.length - i));
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    const runs = [...by.get(keys[i]!)!];
    for (let r = 0; r < Math.min(reps, runs.length); r++) {
      const q = r + Math.floor(rng.next() * (runs.length - r));
      [runs[r], runs[q]] = [runs[q]!, runs[r]!];
      picked.push(runs[r]!);
    }
  }
  return picked;
}

function predictedValue(
  model: FittedStageModel,
  platform: Platform,
  o: BenchObjective,
  c: ConfigMean,
): number {
  const vcpu = resolveVcpu(platform, c.memoryMB);
  const p = model.predict({ workers: c.workers, memoryMB: c.memoryMB, vcpu }, model.profiledInputBytes ?? 0);
  if (!p.feasible) return Infinity;
  if (o.kind === 'latency') return p.makespanMs;
  return expectedRunCostUSD(
    platform,
    { workers: c.workers, memoryMB: c.memoryMB, vcpu },
    p.billedMs,
    model.requestsPerWorker,
  );
}

export async function realSection(
  dataDir: string,
  registry: PlatformRegistry,
  trials: number,
): Promise<SectionResult> {
  const title = 'Real data (AWS Lambda profiles of flexecutor and Jolteon)';
  if (!existsSync(dataDir))
    return {
      title,
      markdown: [`Skipped: ${dataDir} is absent.`],
      summary: [`real data: skipped (${dataDir} absent)`],
    };
  const { stages, notes } = await loadStages(dataDir, registry);
  const cases: Case[] = [];
  const errors: Record<string, { ours: number[]; flex: number[] }> = {
    flexecutor: { ours: [], flex: [] },
    jolteon: { ours: [], flex: [] },
  };
  const skipped: string[] = [];
  for (const rs of stages) {
    const label = `${rs.source}:${rs.workflow}/${rs.stage}@${rs.platform.id}`;
    const truth = configMeans(rs.samples, costOf(rs.platform)).filter((c) => c.runs > 0);
    if (truth.length < CONFIGS + 2) {
      skipped.push(`${label} (${truth.length} measured configs)`);
      continue;
    }
    const measured = new Set(truth.map((c) => key(c.workers, c.memoryMB)));
    const def: StageDef = {
      name: rs.stage,
      space: {
        memoryMB: [...new Set(truth.map((c) => c.memoryMB))].sort((a, b) => a - b),
        workers: [...new Set(truth.map((c) => c.workers))].sort((a, b) => a - b),
      },
    };
    for (let trial = 0; trial < trials; trial++) {
      const seed = hashKey(`${label}|${trial}`) % 2 ** 31;
      const picked = choose(rs.samples, CONFIGS, rs.reps, seed);
      let model: FittedStageModel;
      try {
        model = fitStage(picked, { family: 'auto', seed });
      } catch (e) {
        skipped.push(`${label} trial ${trial} (${(e as Error).message})`);
        continue;
      }
      const means = configMeans(picked, costOf(rs.platform));
      const flex = fitFlexecutor(picked, rs.platform);
      for (const objective of OBJECTIVES) {
        const value = (c: ConfigMean): number =>
          objectiveValue(objective, { makespanMs: c.makespanMs, costUSD: c.costUSD, feasible: true });
        const opt = Math.min(...truth.map(value));
        const truthOf = (w: number, m: number) => truth.find((c) => c.workers === w && c.memoryMB === m);
        const plan = planStage(def, model, rs.platform, objective, model.profiledInputBytes, seed);
        let ours = truthOf(plan.config.workers, plan.config.memoryMB);
        const postFiltered = !measured.has(key(plan.config.workers, plan.config.memoryMB));
        if (postFiltered)
          ours = truth.reduce((a, c) =>
            predictedValue(model, rs.platform, objective, c) <
            predictedValue(model, rs.platform, objective, a)
              ? c
              : a,
          );
        const best = bestSampled(means, objective);
        const flexPick = flex
          ? truth.reduce((a, c) => {
              const v = (x: ConfigMean) => {
                const o = flex.predict(x.workers, x.memoryMB);
                return objective.kind === 'latency' ? o.makespanMs : o.costUSD;
              };
              return v(c) < v(a) ? c : a;
            })
          : null;
        const r = (c: ConfigMean | null | undefined): number =>
          c
            ? regret(objective, { makespanMs: c.makespanMs, costUSD: c.costUSD, feasible: true }, opt)
            : Infinity;
        cases.push({
          source: rs.source,
          label,
          objective: objective.kind,
          regret: {
            rightsizer: r(ours),
            'best sampled': r(best ? truthOf(best.workers, best.memoryMB) : null),
            flexecutor: r(flexPick),
          },
          postFiltered,
        });
      }
      // Prediction error at the measured configs not sampled.
      const pickedKeys = new Set(picked.map((s) => key(s.config.workers, s.config.memoryMB)));
      for (const c of truth) {
        if (pickedKeys.has(key(c.workers, c.memoryMB))) continue;
        const vcpu = resolveVcpu(rs.platform, c.memoryMB);
        const p = model.predict(
          { workers: c.workers, memoryMB: c.memoryMB, vcpu },
          model.profiledInputBytes ?? 0,
        );
        errors[rs.source]!.ours.push(Math.abs(p.makespanMs / c.makespanMs - 1));
        if (flex)
          errors[rs.source]!.flex.push(
            Math.abs(flex.predict(c.workers, c.memoryMB).makespanMs / c.makespanMs - 1),
          );
      }
    }
  }
  const cell = (sel: Case[], m: Method): string => {
    const r = sel.map((c) => c.regret[m]);
    return `${pct(median(r))} / ${pct(quantile(r, 0.9))}`;
  };
  const rows: (string | number)[][] = [];
  for (const source of ['flexecutor', 'jolteon', 'all'])
    for (const o of ['cost', 'latency', 'both']) {
      const sel = cases.filter(
        (c) => (source === 'all' || c.source === source) && (o === 'both' || c.objective === o),
      );
      if (sel.length) rows.push([source, o, sel.length, ...METHODS.map((m) => cell(sel, m))]);
    }
  const all = cases.map((c) => c.regret.rightsizer);
  const worst = [...cases].sort((a, b) => b.regret.rightsizer - a.regret.rightsizer).slice(0, 5);
  return {
    title,
    markdown: [
      `${stages.length} stage × platform groups, ${trials} trials each. Regret median / p90 against the best measured ` +
        `config (targets ≤ 2 % / ≤ 10 %). Skipped (a stage needs more measured configs than the ${CONFIGS} sampled ` +
        `plus 2 held out; non-parallel stages have one per memory size): ${skipped.join('; ') || 'none'}.`,
      '',
      ...table(['data', 'objective', 'cases', ...METHODS.map((m) => `${m} median / p90`)], rows),
      '',
      `Plans post-filtered to a measured pair (the planner chose an unmeasured pair of the cross product): ` +
        `${cases.filter((c) => c.postFiltered).length} of ${cases.length}.`,
      '',
      ...table(
        ['data', 'held-out configs', 'rightsizer error median / p90', 'flexecutor error median / p90'],
        Object.entries(errors).map(([src, e]) => [
          src,
          e.ours.length,
          `${pct(median(e.ours))} / ${pct(quantile(e.ours, 0.9))}`,
          `${pct(median(e.flex))} / ${pct(quantile(e.flex, 0.9))}`,
        ]),
      ),
      '',
      'Worst rightsizer cases: ' +
        worst.map((c) => `${c.label} ${c.objective} ${pct(c.regret.rightsizer)}`).join('; '),
      ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
    ],
    summary: [
      `real data: rightsizer median ${pct(median(all))}, p90 ${pct(quantile(all, 0.9))} (targets ≤ 2 %, ≤ 10 %); ` +
        `best sampled ${cell(cases, 'best sampled')}; flexecutor ${cell(cases, 'flexecutor')}`,
    ],
  };
}
