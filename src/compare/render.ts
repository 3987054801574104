/**
 * The comparison as the terminal shows it: one row per compared configuration with its stages'
 * configs, measured time and cost (mean and min–max over its runs), and the plan's gain over it;
 * then what the numbers mean (projected prices, isolation, what a Lithops partition is here).
 */
import Table from 'cli-table3';
import { formatMs, formatObjective, formatUSD } from '../report/format.js';
import type { Comparison, ComparisonRow } from './run-comparison.js';
import { differs, type Spread } from './spread.js';

const cfg = (c: { workers: number; memoryMB: number }): string => `${c.workers}×${c.memoryMB}`;

function spreadCell(s: Spread | null, fmt: (x: number) => string): string {
  if (!s) return 'failed';
  return `${fmt(s.mean)}  (${fmt(s.min)} – ${fmt(s.max)})`;
}

function pct(x: number | null): string {
  if (x === null) return '–';
  const p = x * 100;
  return `${Math.abs(p).toFixed(0)} % ${p >= 0 ? 'less' : 'more'}`;
}

export function renderComparison(c: Comparison, stages: readonly string[]): string {
  const table = new Table({
    head: [
      'measured',
      `configs (workers×MB: ${stages.join(', ')})`,
      'time (min – max)',
      'cost (min – max)',
      ...(c.objective.kind === 'balanced' ? ['score (min – max)'] : []),
      'plan: cost',
      'plan: time',
    ],
    style: { head: [], border: [] },
  });
  for (const r of c.rows) {
    const g = c.gains.find((x) => x.vs === r.kind);
    table.push([
      r.label + runsNote(r, c.repsPerRow),
      stages.map((s) => (r.configs[s] ? cfg(r.configs[s]) : '?')).join(', '),
      spreadCell(r.latencyMs, formatMs),
      spreadCell(r.costUSD, formatUSD),
      ...(c.objective.kind === 'balanced' ? [scoreCell(r)] : []),
      g ? pct(g.cost) : '',
      g ? pct(g.latency) : '',
    ]);
  }
  const lines = [
    `Measured: the plan (${formatObjective(c.objective)}) against the defaults, ${c.repsPerRow} runs each`,
    table.toString(),
  ];
  if (c.objective.kind === 'balanced')
    lines.push(
      `score = ${c.objective.weight}·cost/min cost + ${Number((1 - c.objective.weight).toFixed(3))}·time/min time over the rows (lower is better)`,
    );
  for (const r of c.rows) if (r.score.missed) lines.push(`${r.label}: misses the objective's bound`);
  for (const r of c.rows) if (r.error) lines.push(`${r.label}: ${r.error}`);
  const planRow = c.rows[0];
  for (const g of c.gains) {
    const other = c.rows.find((r) => r.kind === g.vs)!;
    lines.push(
      `Plan vs ${other.label}: ${OBJECTIVE_VERDICT[g.objective]} on the objective; ${gainSentence(g.cost, g.latency, planRow, other)}`,
    );
  }
  lines.push(
    "Beyond the spread: the two means differ by more than their 95 % confidence interval from the runs' scatter (Welch's t-test).",
    `Costs are projected with ${c.platform}'s prices applied to each measured run (this machine bills nothing); ` +
      `${c.backend} backend, isolation ${c.isolation ?? 'n/a'}.`,
    `${c.partition}.`,
  );
  return lines.join('\n');
}

const OBJECTIVE_VERDICT = {
  better: 'better beyond the measured spread',
  worse: 'worse beyond the measured spread',
  within: 'within the measured spread',
  'n/a': 'neither completed',
} as const;

function scoreCell(r: ComparisonRow): string {
  const s = r.score;
  return s.mean === null ? '–' : `${s.mean.toFixed(2)}  (${s.min!.toFixed(2)} – ${s.max!.toFixed(2)})`;
}

function runsNote(r: ComparisonRow, reps: number): string {
  return r.failed > 0 ? ` (${r.failed}/${reps} failed)` : '';
}

function gainSentence(
  cost: number | null,
  latency: number | null,
  plan: ComparisonRow | undefined,
  other: ComparisonRow,
): string {
  if (!other.costUSD) return 'the other configuration did not complete';
  if (!plan?.costUSD) return 'the plan did not complete';
  const beyond = (p: Spread, o: Spread): string =>
    ['beyond the spread', 'within the spread', 'worse beyond the spread'][differs(p, o) + 1]!;
  return (
    `cost ${pct(cost)} (${beyond(plan.costUSD, other.costUSD)}), ` +
    `time ${pct(latency)} (${beyond(plan.latencyMs!, other.latencyMs!)})`
  );
}
