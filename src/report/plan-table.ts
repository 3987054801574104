/** The plan as a person reads it: one row per stage, then the workflow's totals. */
import Table from 'cli-table3';
import pc from 'picocolors';
import type { Plan } from '../core/types.js';
import {
  count,
  formatInterval,
  formatMs,
  formatObjective,
  formatProbability,
  formatUSD,
  formatVcpu,
} from './format.js';

export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  const conf = plan.confidence != null ? `, confidence ${formatProbability(plan.confidence)}` : '';
  lines.push(
    pc.bold(`Plan for ${plan.workflow} on ${plan.platform}`) + ` — ${formatObjective(plan.objective)}${conf}`,
  );
  if (!plan.feasible) {
    const miss =
      plan.miss?.latencyMs != null
        ? `latency over by ${formatMs(plan.miss.latencyMs)} at its upper bound`
        : plan.miss?.costUSD != null
          ? `cost over by ${formatUSD(plan.miss.costUSD)} at its upper bound`
          : '';
    lines.push(pc.red(`INFEASIBLE: no config meets the objective; the closest plan is shown (${miss})`));
  }
  const table = new Table({
    head: ['stage', 'workers', 'memory MB', 'vCPU', 'latency', '90 % interval', 'cost', 'model (cv error)'],
    style: { head: [], border: [] },
  });
  for (const s of plan.stages) {
    const cv = s.model.cvError == null ? 'n/a' : `${(s.model.cvError * 100).toFixed(1)} %`;
    table.push([
      s.stage,
      String(s.config.workers),
      String(s.config.memoryMB),
      formatVcpu(s.config.vcpu),
      formatMs(s.predicted.latencyMs),
      formatInterval(s.predicted.latencyIntervalMs),
      formatUSD(s.predicted.costUSD),
      `${s.model.family} (${cv}; ${count(s.model.configs, 'config')}, ${count(s.model.runs, 'run')})`,
    ]);
  }
  lines.push(table.toString());
  const p = plan.predicted;
  if (p.latencyMs != null) {
    lines.push(
      `Workflow: latency ${pc.bold(formatMs(p.latencyMs))} (90 % interval ${formatInterval(p.latencyIntervalMs)}), cost ${pc.bold(formatUSD(p.costUSD))} per run`,
    );
    lines.push(`Critical path: ${p.criticalPath.join(' → ')}`);
  } else {
    lines.push(
      `Total cost ${pc.bold(formatUSD(p.costUSD))} per run (stages planned alone: give --workflow FILE for the workflow's latency)`,
    );
  }
  const o = plan.objective;
  if (plan.feasible && plan.confidence != null && (o.kind === 'deadline' || o.kind === 'budget')) {
    const what = o.percentile === null ? 'mean' : `p${o.percentile}`;
    lines.push(
      o.kind === 'deadline'
        ? `Deadline ${formatMs(o.deadlineMs)}: the ${what} latency meets it with probability ${formatProbability(plan.confidence)} under the model's uncertainty (one run's interval may reach past it)`
        : `Budget ${formatUSD(o.budgetUSD)}: the mean cost meets it with probability ${formatProbability(plan.confidence)} under the model's uncertainty`,
    );
  }
  lines.push(
    plan.pareto.length > 0
      ? `Pareto front: ${plan.pareto.length} points (--json lists them)`
      : "Pareto front: none, the stages were planned alone (give --workflow FILE for the workflow's front)",
  );
  return lines.join('\n');
}
