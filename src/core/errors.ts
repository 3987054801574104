/**
 * The one error type a user can cause. `exitCode` follows the CLI contract:
 * 2 for bad input (file, line, flag), 3 for an infeasible objective.
 */
export type ErrorCode = 'input' | 'usage' | 'infeasible' | 'backend' | 'internal';

export class RightsizerError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;
  /** The stage the error is about, where it is one stage's (a stage no config of which is feasible). */
  readonly stage: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, stage?: string) {
    super(message);
    this.name = 'RightsizerError';
    this.code = code;
    this.hint = hint;
    this.stage = stage;
    this.exitCode = code === 'infeasible' ? 3 : code === 'internal' || code === 'backend' ? 1 : 2;
  }

  /** One line for the terminal: what is wrong, then what would be valid. */
  oneLine(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

/** Bad input from a file, a line or a flag: exit 2. */
export function inputError(message: string, hint?: string): RightsizerError {
  return new RightsizerError('input', message, hint);
}
