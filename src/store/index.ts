/** The store layer: samples files, workflow files, and importers of other tools' profiles. */
export { appendSample, parseSamples, readSamples, writeSamples } from './samples-file.js';
export type {
  AppendResult,
  LineProblem,
  ReadSamplesOptions,
  ReadSamplesResult,
  WriteSamplesOptions,
} from './samples-file.js';
export { isPathLike, loadWorkflow, parseWorkflowText, validateWorkflow } from './workflow-file.js';
export type { LoadedWorkflow, ValidateOptions, WorkflowOrigin } from './workflow-file.js';
export { formatIssue, formatPath, formatZodError } from './zod-issue.js';
