/**
 * `optimize` end to end on the sim backend, with its default settings (sparse start of 5 configs,
 * adaptive until P(within 3 %) ≥ 0.9 or 10 runs per stage): the true regret of its plan, the runs
 * it spent, and whether its stated P(within ε) matches how often it is within ε. Side by side, at
 * the same run budget, random search (log-uniform configs, one run each, best measured wins), and
 * an exhaustive grid in the manner of AWS Lambda Power Tuning (its 6 default memories × a worker
 * grid, 5 runs each, best measured mean wins), each with its profiling cost in USD.
 * Scenarios: every stage of stages.ts alone (cost, latency, deadline) and the two DAGs (cost),
 * each run with SEEDS seeds of the run noise (the profiler's seed; random search and Power Tuning
 * draw theirs alike). One seed's 32 cases are too few to read a p90 from — with the same code,
 * seed 1 alone gave 12 % and seed 2 59 % — so the figures are read over all of them; and six
 * seeds were too few as well: seeds 1–6 gave a p90 of 10.3 % and seeds 7–12 21.2 %, the same code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimBackend, simulateRun, type Scenario } from '../../src/backends/sim/index.js';
import type { Objective } from '../../src/core/types.js';
import { uniforms } from '../../src/core/prng.js';
import { profileWorkflow } from '../../src/profiler/profile.js';
import { PlatformRegistry } from '../../src/platforms/index.js';
import { validateWorkflow } from '../../src/store/index.js';
import type { BenchContext } from '../lib/context.js';
import { composeFront, tableFront } from '../lib/front.js';
import { fastest, searchTable } from '../lib/grid-search.js';
import { objectiveValue, regret, toObjective, type BenchObjective } from '../lib/objective.js';
import { table, type SectionResult } from '../lib/section.js';
import { mean, median, pct, quantile } from '../lib/stats.js';
import { DAGS, stageByName, type BenchDag } from '../stages.js';

const EPSILON = 0.03;
const POWER_TUNING_MB = [128, 256, 512, 1024, 1536, 3008];
const POWER_TUNING_REPS = 5;
/** Seeds of the run noise every scenario is optimized with (--quick: the first). */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

interface Case {
  seed: number;
  scenario: string;
  objective: string;
  regret: number;
  stated: number | null;
  runsPerStage: number;
  costUSD: number;
  random: number;
  randomCostUSD: number;
  power: number;
  powerRuns: number;
  powerCostUSD: number;
}

/** The median and 90th percentile of regrets, as the tables print them. */
function medianP90(regrets: readonly number[]): [string, string] {
  return [pct(median(regrets)), pct(quantile(regrets, 0.9))];
}

export async function optimizeSection(ctx: BenchContext, quick: boolean): Promise<SectionResult> {
  const registry = new PlatformRegistry();
  const dir = mkdtempSync(join(tmpdir(), 'rightsizer-bench-optimize-'));
  const cases: Case[] = [];
  try {
    const kinds: BenchObjective['kind'][] = quick ? ['cost'] : ['cost', 'latency', 'deadline'];
    for (const seed of quick ? SEEDS.slice(0, 1) : SEEDS) {
      const trial = seed - 1;
      for (const stage of ctx.stages) {
        const s = stage.scenario;
        const truthTable = ctx.table(s);
        const fast = fastest(truthTable);
        if (!fast) continue;
        for (const kind of kinds) {
          const deadlineMs = fast.value * (1.2 + 0.8 * ctx.uniform(s, 0, 'deadline'));
          const objective: BenchObjective = kind === 'deadline' ? { kind, deadlineMs } : { kind };
          const opt = searchTable(truthTable, objective);
          if (!opt) continue;
          const r = await optimizeOnce(
            ctx,
            registry,
            dir,
            `${s.name}-${kind}`,
            [{ name: s.name, dependsOn: [] }],
            toObjective(objective),
            seed,
          );
          const cfg = r.configs.get(s.name)!;
          const ours = regret(objective, ctx.truth(s, cfg.workers, cfg.memoryMB), opt.value);
          const budget = r.runs;
          const rand = randomSearch(ctx, s, objective, budget, ctx.seedOf(s, trial, 'random'));
          const power = powerTuning(ctx, s, objective, trial);
          cases.push({
            seed,
            scenario: s.name,
            objective: kind,
            regret: ours,
            stated: r.probability,
            runsPerStage: r.runs,
            costUSD: r.costUSD,
            random: regret(objective, rand.outcome, opt.value),
            randomCostUSD: rand.costUSD,
            power: regret(objective, power.outcome, opt.value),
            powerRuns: power.runs,
            powerCostUSD: power.costUSD,
          });
        }
      }
      for (const dag of quick ? DAGS.slice(0, 1) : DAGS)
        cases.push(await dagCase(ctx, registry, dir, dag, seed));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const within = (c: Case): boolean => c.regret <= EPSILON;
  const stated = cases.filter((c) => c.stated !== null);
  const bins: [number, number][] = [
    [0, 0.5],
    [0.5, 0.8],
    [0.8, 0.9],
    [0.9, 1.0001],
  ];
  const calibration = bins.map(([lo, hi]) => {
    const sel = stated.filter((c) => c.stated! >= lo && c.stated! < hi);
    return [
      `${pct(lo, 0)}–${pct(Math.min(hi, 1), 0)}`,
      sel.length,
      sel.length ? pct(mean(sel.map((c) => c.stated!))) : '–',
      sel.length ? pct(sel.filter(within).length / sel.length) : '–',
    ];
  });
  const meanStated = mean(stated.map((c) => c.stated!));
  const observed = stated.filter(within).length / Math.max(stated.length, 1);
  const regrets = cases.map((c) => c.regret);
  const seeds = [...new Set(cases.map((c) => c.seed))];
  const objectives = [...new Set(cases.map((c) => c.objective))];
  const deadlines = cases.filter((c) => c.objective === 'deadline');
  const misses = (of: (c: Case) => number): string =>
    `${deadlines.filter((c) => !Number.isFinite(of(c))).length}/${deadlines.length}`;
  const markdown = [
    `${cases.length / seeds.length} scenarios × ${seeds.length} seed${seeds.length > 1 ? 's' : ''} of the run noise (${seeds.join(', ')}): every stage of stages.ts alone (${quick ? 'cost' : 'cost, latency, deadline'}) and ${quick ? 'one DAG' : 'both DAGs'} (cost). ` +
      'Regret = true objective of the plan / true optimum − 1 (a deadline miss or infeasible config is ∞). ' +
      '`optimize` defaults: sparse start of 5 configs (4 along one axis), adaptive until P(within 3 %) ≥ 0.9 (after at least 2 runs past the start) or 10 runs per stage. ' +
      'Random search gets the same number of runs per stage as `optimize` spent; Power Tuning runs its 6 memories × workers {1, 10, 100, 1000} (capped by the stage) × 5 repetitions.',
    '',
    ...table(
      ['method', 'regret median', 'p90', 'runs per stage (mean)', 'profiling cost (mean per scenario)'],
      [
        [
          'rightsizer optimize',
          ...medianP90(regrets),
          mean(cases.map((c) => c.runsPerStage)).toFixed(1),
          `$${mean(cases.map((c) => c.costUSD)).toPrecision(3)}`,
        ],
        [
          'random search (same budget)',
          ...medianP90(cases.map((c) => c.random)),
          mean(cases.map((c) => c.runsPerStage)).toFixed(1),
          `$${mean(cases.map((c) => c.randomCostUSD)).toPrecision(3)}`,
        ],
        [
          'Power Tuning grid',
          ...medianP90(cases.map((c) => c.power)),
          mean(cases.map((c) => c.powerRuns)).toFixed(1),
          `$${mean(cases.map((c) => c.powerCostUSD)).toPrecision(3)}`,
        ],
      ],
    ),
    '',
    'By objective (DAGs under cost):',
    '',
    ...table(
      ['objective', 'cases', 'rightsizer median / p90', 'random median / p90', 'Power Tuning median / p90'],
      objectives.map((o) => {
        const sel = cases.filter((c) => c.objective === o);
        const both = (r: number[]): string => medianP90(r).join(' / ');
        return [
          o,
          String(sel.length),
          both(sel.map((c) => c.regret)),
          both(sel.map((c) => c.random)),
          both(sel.map((c) => c.power)),
        ];
      }),
    ),
    '',
    ...(deadlines.length > 0
      ? [
          `Deadline misses (true mean latency over the deadline, or an infeasible config): rightsizer ${misses((c) => c.regret)}; random ${misses((c) => c.random)}; Power Tuning ${misses((c) => c.power)}.`,
          '',
        ]
      : []),
    ...(seeds.length > 1
      ? [
          'Each seed alone (the same scenarios, other run noise):',
          '',
          ...table(
            ['seed', 'regret median', 'p90', 'runs per stage', 'stated P', 'observed within ε'],
            seeds.map((seed) => {
              const sel = cases.filter((c) => c.seed === seed);
              const st = sel.filter((c) => c.stated !== null);
              return [
                String(seed),
                ...medianP90(sel.map((c) => c.regret)),
                mean(sel.map((c) => c.runsPerStage)).toFixed(1),
                pct(mean(st.map((c) => c.stated!))),
                pct(st.filter(within).length / Math.max(st.length, 1)),
              ];
            }),
          ),
          '',
        ]
      : []),
    `Calibration of the stated P(within ${pct(EPSILON, 0)}): mean stated ${pct(meanStated)}, observed ${pct(observed)} within ε over ${stated.length} runs (target: within ±10 points).`,
    '',
    ...table(['stated P', 'scenarios', 'mean stated', 'observed within ε'], calibration),
    '',
    '### Per scenario',
    '',
    ...table(
      ['seed', 'scenario', 'objective', 'regret', 'stated P', 'runs/stage', 'cost', 'random', 'Power Tuning'],
      cases.map((c) => [
        String(c.seed),
        c.scenario,
        c.objective,
        pct(c.regret),
        c.stated === null ? '–' : pct(c.stated),
        c.runsPerStage.toFixed(1),
        `$${c.costUSD.toPrecision(3)}`,
        pct(c.random),
        pct(c.power),
      ]),
    ),
  ];
  const summary = [
    `optimize (${seeds.length} seed${seeds.length > 1 ? 's' : ''} × ${cases.length / seeds.length} scenarios): regret median ${medianP90(regrets).join(', p90 ')} (targets ≤ 3 %, ≤ 10 %), ` +
      `${mean(cases.map((c) => c.runsPerStage)).toFixed(1)} runs/stage (≤ 10); random ${pct(median(cases.map((c) => c.random)))}; Power Tuning ${pct(median(cases.map((c) => c.power)))}`,
    `  P(within ε) stated ${pct(meanStated)} vs observed ${pct(observed)}` +
      (deadlines.length > 0 ? `; deadline misses ${misses((c) => c.regret)}` : ''),
  ];
  return { title: '`optimize` end to end (sim backend, default settings)', markdown, summary };
}

interface OptimizeRun {
  configs: Map<string, { workers: number; memoryMB: number }>;
  probability: number | null;
  runs: number;
  costUSD: number;
}

async function optimizeOnce(
  ctx: BenchContext,
  registry: PlatformRegistry,
  dir: string,
  name: string,
  stages: { name: string; dependsOn: string[] }[],
  objective: Objective,
  seed: number,
): Promise<OptimizeRun> {
  const scenarios = new Map<string, Scenario>(stages.map((st) => [st.name, stageByName(st.name).scenario]));
  const workflow = validateWorkflow(
    {
      name,
      backend: 'sim',
      stages: stages.map((st) => {
        const m = scenarios.get(st.name)!.maxWorkers;
        return { name: st.name, dependsOn: st.dependsOn, ...(m ? { maxWorkers: m } : {}) };
      }),
    },
    { source: name, baseDir: dir },
  );
  const backend = new SimBackend({ platform: ctx.platform, scenarios });
  const result = await profileWorkflow({
    workflow,
    backend,
    platform: ctx.platform,
    samplesPath: join(dir, `${name}-seed${seed}.jsonl`),
    design: 'adaptive',
    seed,
    adaptive: { objective, registry },
  });
  return {
    configs: new Map(result.plan!.stages.map((s) => [s.stage, s.config])),
    probability: result.probability,
    runs: result.stages.reduce((a, s) => a + s.runs, 0) / result.stages.length,
    costUSD: result.costUSD,
  };
}

async function dagCase(
  ctx: BenchContext,
  registry: PlatformRegistry,
  dir: string,
  dag: BenchDag,
  seed: number,
): Promise<Case> {
  const trial = seed - 1;
  const fronts = new Map(
    dag.stages.map((st) => [st.name, tableFront(ctx.table(stageByName(st.name).scenario))]),
  );
  const front = composeFront(dag.sp, fronts);
  const optCost = Math.min(...front.map((p) => p.costUSD));
  const r = await optimizeOnce(
    ctx,
    registry,
    dir,
    dag.name,
    dag.stages,
    { kind: 'cost', percentile: null },
    seed,
  );
  const truthCost = (pick: (name: string) => { workers: number; memoryMB: number }): number => {
    let cost = 0;
    for (const st of dag.stages) {
      const c = pick(st.name);
      const o = ctx.truth(stageByName(st.name).scenario, c.workers, c.memoryMB);
      if (!o.feasible) return Infinity;
      cost += o.costUSD;
    }
    return cost;
  };
  const ours = truthCost((n) => r.configs.get(n)!);
  const objective: BenchObjective = { kind: 'cost' };
  const rand = new Map(
    dag.stages.map((st) => [
      st.name,
      randomSearch(
        ctx,
        stageByName(st.name).scenario,
        objective,
        r.runs,
        ctx.seedOf(stageByName(st.name).scenario, trial, 'random'),
      ),
    ]),
  );
  const power = new Map(
    dag.stages.map((st) => [st.name, powerTuning(ctx, stageByName(st.name).scenario, objective, trial)]),
  );
  const rel = (v: number): number => (Number.isFinite(v) ? Math.max(0, v / optCost - 1) : Infinity);
  return {
    seed,
    scenario: dag.name,
    objective: 'cost',
    regret: rel(ours),
    stated: r.probability,
    runsPerStage: r.runs,
    costUSD: r.costUSD,
    random: rel(truthCost((n) => rand.get(n)!.config)),
    randomCostUSD: [...rand.values()].reduce((a, x) => a + x.costUSD, 0),
    power: rel(truthCost((n) => power.get(n)!.config)),
    powerRuns: mean([...power.values()].map((p) => p.runs)),
    powerCostUSD: [...power.values()].reduce((a, x) => a + x.costUSD, 0),
  };
}

interface Searched {
  config: { workers: number; memoryMB: number };
  outcome: { makespanMs: number; costUSD: number; feasible: boolean };
  costUSD: number;
  runs: number;
}

/** Best measured mean by the objective among configs each run `reps` times. */
function bestMeasured(
  ctx: BenchContext,
  s: Scenario,
  objective: BenchObjective,
  configs: { workers: number; memoryMB: number }[],
  reps: number,
  seed: number,
): Searched {
  let best: Searched | null = null;
  let bestValue = Infinity;
  let spent = 0;
  let runs = 0;
  for (const c of configs) {
    const samples = Array.from({ length: reps }, (_, rep) =>
      simulateRun(s, ctx.platform, c, { rep, seed, workflow: 'bench' }),
    );
    runs += reps;
    spent += samples.reduce((a, x) => a + (x.costUSD ?? 0), 0);
    if (samples.some((x) => x.status !== 'ok')) continue;
    const m = {
      makespanMs: mean(samples.map((x) => x.makespanMs!)),
      costUSD: mean(samples.map((x) => x.costUSD!)),
      feasible: true,
    };
    const v = objectiveValue(objective, m);
    if (v < bestValue) {
      bestValue = v;
      best = { config: c, outcome: ctx.truth(s, c.workers, c.memoryMB), costUSD: 0, runs: 0 };
    }
  }
  const fallback = configs[0]!;
  const out = best ?? {
    config: fallback,
    outcome: { makespanMs: Infinity, costUSD: Infinity, feasible: false },
    costUSD: 0,
    runs: 0,
  };
  return { ...out, costUSD: spent, runs };
}

function randomSearch(
  ctx: BenchContext,
  s: Scenario,
  objective: BenchObjective,
  runs: number,
  seed: number,
): Searched {
  const rng = uniforms(seed);
  const maxW = ctx.space(s).maxWorkers;
  const configs = Array.from({ length: Math.max(1, Math.round(runs)) }, () => ({
    workers: Math.max(1, Math.round(Math.exp(rng() * Math.log(maxW)))),
    memoryMB: Math.round(128 * Math.exp(rng() * Math.log(10_240 / 128))),
  }));
  return bestMeasured(ctx, s, objective, configs, 1, seed);
}

function powerTuning(ctx: BenchContext, s: Scenario, objective: BenchObjective, trial: number): Searched {
  const maxW = ctx.space(s).maxWorkers;
  const workers = [...new Set([1, 10, 100, 1000].map((w) => Math.min(w, maxW)))];
  const configs = POWER_TUNING_MB.flatMap((memoryMB) => workers.map((w) => ({ workers: w, memoryMB })));
  return bestMeasured(ctx, s, objective, configs, POWER_TUNING_REPS, ctx.seedOf(s, trial, 'power'));
}
