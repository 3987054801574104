/**
 * The objective one stage is judged by while the workflow's plan holds the other stages fixed.
 * cost and balanced carry over unchanged (a workflow's cost is the sum of its stages'), and so
 * does latency on the critical path, where the workflow's latency grows with the stage's. Off it,
 * a faster stage buys nothing: its objective is the cheapest config no slower than its planned
 * one (a deadline of its planned latency), so neither its runs nor its P(within ε) chase a speed
 * the workflow cannot use. A deadline D leaves a stage its own planned latency plus the workflow's
 * slack, D − planned workflow latency; a budget B likewise its planned cost plus the workflow's
 * spare budget. For a one-stage workflow these are D and B.
 */
import type { Objective, Plan } from '../core/types.js';

/** Under a latency, a stage the plan keeps off its critical path: it cannot move the workflow's latency. */
export function offCriticalPath(objective: Objective, plan: Plan, stage: string): boolean {
  const path = plan.predicted.criticalPath;
  return objective.kind === 'latency' && path.length > 0 && !path.includes(stage);
}

export function stageObjective(objective: Objective, plan: Plan, stage: string): Objective {
  const s = plan.stages.find((x) => x.stage === stage);
  if (!s || plan.stages.length === 1) return objective;
  if (objective.kind === 'deadline') {
    const total = plan.predicted.latencyMs ?? s.predicted.latencyMs;
    return { ...objective, deadlineMs: s.predicted.latencyMs + Math.max(0, objective.deadlineMs - total) };
  }
  if (offCriticalPath(objective, plan, stage))
    return { kind: 'deadline', deadlineMs: s.predicted.latencyMs, percentile: objective.percentile };
  if (objective.kind === 'budget')
    return {
      ...objective,
      budgetUSD: s.predicted.costUSD + Math.max(0, objective.budgetUSD - plan.predicted.costUSD),
    };
  return objective;
}
