export { ExecBackend, type ExecBackendOptions } from './exec-backend.js';
export { splitWords } from './split-words.js';
export {
  RUN_REQUEST_SCHEMA,
  RUN_RESULT_SCHEMA,
  RunResultSchema,
  runRequest,
  type RunRequest,
  type RunResult,
} from './protocol.js';
