/** The optimizer's public API: objectives, stage fronts, DAG composition, Monte Carlo, plans. */
export { hasConstraint, parseObjective, parsePercentileValue, OBJECTIVE_FORMS } from './objective.js';
export { paretoFront, capFront, thinEvenly, dominates, type Tradeoff, type TieBreak } from './pareto.js';
export {
  stageFront,
  evaluateConfig,
  configOrder,
  finishesInTime,
  stageTimeoutMs,
  logSpacedIndices,
  type StagePoint,
  type StageRisk,
  type SearchMode,
  type StageFrontOptions,
  type StageFrontInput,
  type StageFrontResult,
} from './stage-front.js';
export {
  composeDag,
  composeTree,
  levelsTree,
  picksOf,
  type ComposedPoint,
  type ComposedFront,
  type ComposeOptions,
  type LeafPoint,
  type Pick,
} from './compose-dag.js';
export { longestPath } from './longest-path.js';
export {
  indexDag,
  monteCarlo,
  simulateLatency,
  simulateDraws,
  drawStatistic,
  StageDrawCache,
  summarizeLatency,
  sortedQuantile,
  type IndexedDag,
  type MonteCarlo,
  type StageDistribution,
  type LatencySummary,
} from './monte-carlo.js';
export {
  latencyStatistic,
  lognormalQuantile,
  lognormalInterval,
  logLocation,
  sumLogSd,
} from './lognormal.js';
export { normalQuantile, normalCdf, studentQuantile } from '../core/normal.js';
export { mulberry32, standardNormals } from '../core/prng.js';
export {
  selectCandidate,
  TIE_TOLERANCE,
  probabilityWithin,
  type Candidate,
  type SelectOptions,
  type Selection,
} from './select.js';
export { planWorkflow, type PlanInput, type PlanStageInput, type PlanResult } from './plan.js';
