/** The trainer: model families, their fitting and selection, and the stage model. */
export { nnls, type NnlsResult } from './nnls.js';
export { cholesky, forwardSolve, backSolve, solveSymmetric } from './cholesky.js';
export { fitGaussianProcess, type FittedGp, type GpHyper } from './gaussian-process.js';
export type { Features, TrainingPoint } from './features.js';
export type { FittedTarget, ModelFamily } from './family.js';
export { FAMILIES, AUTO_FAMILIES } from './families.js';
export { amdahlFamily } from './family-amdahl.js';
export { ernestFamily } from './family-ernest.js';
export { ernestExtFamily } from './family-ernest-ext.js';
export { memexpFamily } from './family-memexp.js';
export { gpFamily } from './family-gp.js';
export { constantFamily } from './family-constant.js';
export { crossValidate, type CvResult } from './cross-validation.js';
export { selectFamily, type FamilyChoice } from './select-family.js';
export { fitMemoryFloor, floorAt, type MemoryFloor } from './memory-floor.js';
export { stragglerFactor, expectedMaxNormal, normalQuantile, waves } from './straggler.js';
export { prepareStage, type StageData, type StageRow } from './stage-data.js';
export { fitStage, fitWorkflowModels, type FitStageOptions } from './fit-stage.js';
