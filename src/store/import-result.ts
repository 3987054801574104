import type { Sample } from '../core/schemas.js';

/** What every importer returns: the samples, and one line per thing skipped or doubtful. */
export interface ImportResult {
  samples: Sample[];
  /** One line each, naming the file (and line, where there is one). */
  warnings: string[];
}
