/** The store layer: samples files, workflow files, and importers of other tools' profiles. */
export { appendJsonLine, appendSample, parseSamples, readSamples, writeSamples } from './samples-file.js';
export type {
  AppendResult,
  LineProblem,
  ReadSamplesOptions,
  ReadSamplesResult,
  WriteSamplesOptions,
} from './samples-file.js';
export { isPathLike, loadWorkflow, parseWorkflowText, validateWorkflow } from './workflow-file.js';
export type { LoadedWorkflow, ValidateOptions, WorkflowOrigin } from './workflow-file.js';
export { formatIssue, formatPath, formatZodError } from '../core/zod-issue.js';
export { importLithopsStats, LITHOPS_RUN_SCHEMA, parseLithopsRuns } from './import-lithops-stats.js';
export type { ImportResult } from './import-result.js';
export { archOf, AUTO_PLATFORM, importFlexecutorDir, parseLenientJson } from './import-flexecutor.js';
export type { Arch, FlexecutorImportOptions } from './import-flexecutor.js';
