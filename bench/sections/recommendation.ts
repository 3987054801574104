/**
 * Recommendation quality on the synthetic stages: per stage × trial × objective, the true
 * objective of rightsizer's plan against the true optimum over the full AWS Lambda space, next
 * to the best sampled config and flexecutor's model from the same samples.
 */
import type { BenchContext, DesignVariant } from '../lib/context.js';
import { buildTable, fastest, searchTable } from '../lib/grid-search.js';
import { OBJECTIVE_KINDS, regret, type BenchObjective, type ObjectiveKind } from '../lib/objective.js';
import { planStage } from '../lib/plan.js';
import { configMeans } from '../lib/profile.js';
import { table, type SectionResult } from '../lib/section.js';
import { median, pct, quantile, rate } from '../lib/stats.js';
import { bestSampled } from '../peers/best-sampled.js';
import { fitFlexecutor } from '../peers/flexecutor.js';

const METHODS = ['rightsizer', 'best sampled', 'flexecutor'] as const;
type Method = (typeof METHODS)[number];

interface Case {
  stage: string;
  trial: number;
  objective: ObjectiveKind;
  regret: Record<Method, number>;
  /** A deadline plan whose true mean latency is over the deadline. */
  late: Record<Method, boolean>;
  detail: string;
}

/** Every stage × trial × objective case of one design variant; planning times pushed to `planMs`. */
function scoreCases(ctx: BenchContext, variant: DesignVariant, planMs: number[]): Case[] {
  const cases: Case[] = [];
  for (const stage of ctx.stages) {
    const s = stage.scenario;
    const truthTable = ctx.table(s);
    const fast = fastest(truthTable);
    if (!fast) continue;
    for (let trial = 0; trial < ctx.trialsPerStage; trial++) {
      const t = ctx.trial(stage, trial, variant);
      if (!t) continue;
      const means = configMeans(t.samples, (x) => x.costUSD ?? Infinity);
      const flex = fitFlexecutor(t.samples, ctx.platform);
      const flexTable = flex ? buildTable(ctx.space(s), (w, m) => flex.predict(w, m)) : null;
      // Deadlines between 1.2× and 2× the fastest achievable mean latency (the range).
      const deadlineMs = fast.value * (1.2 + 0.8 * ctx.uniform(s, trial, 'deadline'));
      for (const kind of OBJECTIVE_KINDS) {
        const objective: BenchObjective = kind === 'deadline' ? { kind, deadlineMs } : { kind };
        const opt = searchTable(truthTable, objective);
        if (!opt) continue;
        const t0 = performance.now();
        const ours = planStage(ctx.def(s), t.model, ctx.platform, objective, s.inputBytes, t.seed);
        planMs.push(performance.now() - t0);
        const oursTruth = ctx.truth(s, ours.config.workers, ours.config.memoryMB);
        const best = bestSampled(means, objective);
        const bestTruth = best ? ctx.truth(s, best.workers, best.memoryMB) : null;
        const flexBest = flexTable ? searchTable(flexTable, objective) : null;
        const flexTruth = flexBest ? ctx.truth(s, flexBest.workers, flexBest.memoryMB) : null;
        const late = (o: typeof oursTruth | null): boolean =>
          kind === 'deadline' && (!o || !o.feasible || o.makespanMs > deadlineMs);
        cases.push({
          stage: s.name,
          trial,
          objective: kind,
          regret: {
            rightsizer: regret(objective, oursTruth, opt.value),
            'best sampled': bestTruth ? regret(objective, bestTruth, opt.value) : Infinity,
            flexecutor: flexTruth ? regret(objective, flexTruth, opt.value) : Infinity,
          },
          late: { rightsizer: late(oursTruth), 'best sampled': late(bestTruth), flexecutor: late(flexTruth) },
          detail:
            `${ours.config.workers}×${ours.config.memoryMB} MB` +
            (oursTruth.feasible ? '' : ' (infeasible)') +
            ` vs optimum ${opt.workers}×${opt.memoryMB} MB`,
        });
      }
    }
  }
  return cases;
}

export function recommendationSection(ctx: BenchContext): SectionResult {
  const planMs: number[] = [];
  const cases = scoreCases(ctx, 'lhs', planMs);
  const rerun = scoreCases(ctx, 'rerun', []);
  const rowsFor = (
    filter: (c: Case) => boolean,
    label: string,
    from: readonly Case[] = cases,
  ): (string | number)[] => {
    const sel = from.filter(filter);
    return [
      label,
      sel.length,
      ...METHODS.map((m) => {
        const r = sel.map((c) => c.regret[m]);
        return `${pct(median(r))} / ${pct(quantile(r, 0.9))}`;
      }),
    ];
  };
  const overall = rowsFor(() => true, 'all');
  const missLine = (from: readonly Case[]): string =>
    METHODS.map((m) => {
      const d = from.filter((c) => c.objective === 'deadline');
      return `${m} ${rate(d.filter((c) => c.late[m]).length, d.length)}`;
    }).join('; ');
  const markdown = [
    `Regret = true objective of the recommendation / true optimum − 1, median / p90 over ${cases.length} cases ` +
      `(stage × trial × objective); a deadline miss or an infeasible config counts as ∞.`,
    '',
    ...table(
      ['objective', 'cases', ...METHODS.map((m) => `${m} median / p90`)],
      [...OBJECTIVE_KINDS.map((k) => rowsFor((c) => c.objective === k, k)), overall],
    ),
    '',
    `Deadline miss rate (true mean latency over the deadline, or infeasible): ${missLine(cases)}`,
    '',
    'Infeasible recommendations (out of memory or over the timeout), all objectives: ' +
      METHODS.map((m) => {
        const bad = cases.filter((c) => !Number.isFinite(c.regret[m]) && !c.late[m]).length;
        return `${m} ${bad}`;
      }).join('; '),
    '',
    `Planning time per stage plan: median ${median(planMs).toFixed(0)} ms.`,
    '',
    '### Per stage (rightsizer, median regret over trials)',
    '',
    ...table(
      ['stage', ...OBJECTIVE_KINDS, 'worst case (config vs optimum)'],
      ctx.stages.map((st) => {
        const sel = cases.filter((c) => c.stage === st.scenario.name);
        const worst = sel.reduce<Case | null>(
          (a, c) => (!a || c.regret.rightsizer > a.regret.rightsizer ? c : a),
          null,
        );
        return [
          st.scenario.name,
          ...OBJECTIVE_KINDS.map((k) =>
            pct(median(sel.filter((c) => c.objective === k).map((c) => c.regret.rightsizer))),
          ),
          worst
            ? `${worst.objective} trial ${worst.trial}: ${pct(worst.regret.rightsizer)}, ${worst.detail}`
            : '',
        ];
      }),
    ),
  ];
  const oom = oomShare(ctx);
  markdown.push(
    '',
    '### The same designs, their out-of-memory points rerun',
    '',
    `${rate(oom.oom, oom.total)} of the design points above ran out of memory, so several stages were ` +
      'planned from 2–3 configs that ran. Here each such point is rerun at twice its memory until it ' +
      "runs (what a user who met the errors, or `optimize`'s memory repair, hands the planner; only " +
      'the out-of-memory signal is used), the rest of the design and every seed unchanged.',
    '',
    ...table(
      ['objective', 'cases', ...METHODS.map((m) => `${m} median / p90`)],
      [
        ...OBJECTIVE_KINDS.map((k) => rowsFor((c) => c.objective === k, k, rerun)),
        rowsFor(() => true, 'all', rerun),
      ],
    ),
    '',
    `Deadline miss rate: ${missLine(rerun)}`,
  );
  const r = cases.map((c) => c.regret.rightsizer);
  const rr = rerun.map((c) => c.regret.rightsizer);
  const summary = [
    `recommendation: rightsizer median ${pct(median(r))}, p90 ${pct(quantile(r, 0.9))} (targets ≤ 5 %, ≤ 15 %); ` +
      `best sampled ${overall[3]}; flexecutor ${overall[4]}`,
    `  deadline misses: rightsizer ${rate(
      cases.filter((c) => c.objective === 'deadline' && c.late.rightsizer).length,
      cases.filter((c) => c.objective === 'deadline').length,
    )}`,
    `  out-of-memory design points rerun: rightsizer median ${pct(median(rr))}, p90 ${pct(quantile(rr, 0.9))}; ` +
      `deadline misses ${rate(
        rerun.filter((c) => c.objective === 'deadline' && c.late.rightsizer).length,
        rerun.filter((c) => c.objective === 'deadline').length,
      )}`,
  ];
  return { title: 'Recommendation quality (synthetic stages, full AWS Lambda space)', markdown, summary };
}

/** Design points of the `lhs` trials that ran out of memory, and all of them. */
function oomShare(ctx: BenchContext): { oom: number; total: number } {
  let oom = 0;
  let total = 0;
  for (const stage of ctx.stages)
    for (let trial = 0; trial < ctx.trialsPerStage; trial++) {
      const t = ctx.trial(stage, trial);
      if (!t) continue;
      total += t.design.length;
      oom += t.design.filter((p) =>
        t.samples.some(
          (x) => x.status === 'oom' && x.config.workers === p.workers && x.config.memoryMB === p.memoryMB,
        ),
      ).length;
    }
  return { oom, total };
}
