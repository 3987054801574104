/**
 * The `--objective` text → an Objective (ARCHITECTURE.md "Plan"):
 *   cost | latency | balanced:W (0 ≤ W ≤ 1; bare `balanced` is W = 0.5) | deadline:D (a duration:
 *   60s, 1500ms, 2m) | budget:B (USD per workflow run: 0.05, $0.05),
 * with `percentile` null (the mean) or 50…99. Bad text is an input error (exit 2) naming the flag
 * and the valid forms.
 */
import { inputError, RightsizerError } from '../core/errors.js';
import type { Objective } from '../core/types.js';
import { parseDurationMs, parseUSD } from '../core/units.js';

/** Whether the objective bounds a quantity (a deadline on latency, a budget on cost). */
export function hasConstraint(o: Objective): o is Extract<Objective, { kind: 'deadline' | 'budget' }> {
  return o.kind === 'deadline' || o.kind === 'budget';
}

export const OBJECTIVE_FORMS =
  'valid: cost, latency, balanced:W (W from 0 to 1, e.g. balanced:0.5), deadline:D (e.g. deadline:60s, deadline:1500ms), budget:B (USD per run, e.g. budget:0.05)';

/** Parses `--percentile`: null/undefined is the mean, else a number from 50 to 99. */
export function parsePercentileValue(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const p = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(p) || p < 50 || p > 99)
    throw inputError(
      `--percentile: cannot use "${String(value)}"`,
      'use a number from 50 to 99, or leave it out for the mean',
    );
  return p;
}

function bad(text: string, why?: string): RightsizerError {
  return inputError(`--objective: cannot read "${text}"${why ? ` (${why})` : ''}`, OBJECTIVE_FORMS);
}

export function parseObjective(text: string, percentile: number | string | null = null): Objective {
  const p = parsePercentileValue(percentile);
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const kind = (colon < 0 ? trimmed : trimmed.slice(0, colon)).toLowerCase();
  const arg = colon < 0 ? null : trimmed.slice(colon + 1).trim();
  const read = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof RightsizerError) throw bad(text, e.message.replace(/^[^:]*: /, ''));
      throw e;
    }
  };
  switch (kind) {
    case 'cost':
    case 'latency':
      if (arg !== null) throw bad(text, `"${kind}" takes no value`);
      return { kind, percentile: p };
    case 'balanced': {
      const weight = arg === null ? 0.5 : Number(arg);
      if (arg === '' || !Number.isFinite(weight) || weight < 0 || weight > 1)
        throw bad(
          text,
          Number.isFinite(weight) ? 'W must lie in 0…1' : `W must be a number from 0 to 1, not "${arg}"`,
        );
      return { kind, weight, percentile: p };
    }
    case 'deadline': {
      if (!arg) throw bad(text, 'deadline needs a duration');
      if (arg.startsWith('-')) throw bad(text, 'the deadline must be positive');
      const deadlineMs = read(() => parseDurationMs(arg, '--objective'));
      if (!(deadlineMs > 0)) throw bad(text, 'the deadline must be positive');
      return { kind, deadlineMs, percentile: p };
    }
    case 'budget': {
      if (!arg) throw bad(text, 'budget needs an amount in USD');
      if (arg.startsWith('-')) throw bad(text, 'the budget must be positive');
      const budgetUSD = read(() => parseUSD(arg, '--objective'));
      if (!(budgetUSD > 0)) throw bad(text, 'the budget must be positive');
      return { kind, budgetUSD, percentile: p };
    }
    default:
      throw bad(text);
  }
}
