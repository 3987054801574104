/**
 * Turns zod issues into the one-line messages the CLI contract asks for: the field path as a
 * user writes it (`stages[1].space.workers.min`) and what would be valid, in plain words.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** `['stages', 1, 'space']` → `stages[1].space`; the empty path is the document itself. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** What would be valid, said plainly; zod's own wording where ours would add nothing. */
function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      if (received === 'undefined') return `required (${article(issue.expected)})`;
      return `expected ${article(issue.expected)}${received ? `, got ${received}` : ''}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'number') {
        if (min === 0 && !issue.inclusive) return 'expected a positive number';
        if (min === 0) return 'expected a number ≥ 0';
        return `expected a number ${issue.inclusive ? '≥' : '>'} ${min}`;
      }
      if (issue.origin === 'array') return `expected at least ${min} item${min === 1 ? '' : 's'}`;
      if (issue.origin === 'string')
        return min <= 1 ? 'must not be empty' : `expected at least ${min} characters`;
      return issue.message;
    }
    case 'too_big':
      if (issue.origin === 'number') {
        // A schema's own message (a unit hint) follows the bound; zod's default says nothing more.
        const hint = issue.message.startsWith('Too big') ? '' : `: ${issue.message}`;
        return `expected a number ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}${hint}`;
      }
      return issue.message;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'matches none of the allowed shapes';
    default:
      return issue.message;
  }
}

/**
 * A union that failed in every branch says only "Invalid input"; the branch that got furthest
 * (the longest path) is almost always the one the user meant, so report its issue instead.
 */
function deepest(issue: Issue, prefix: readonly PathKey[]): { path: PathKey[]; issue: Issue } {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path, issue };
  let best: { path: PathKey[]; issue: Issue } | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const candidate = deepest(first, path);
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  // Every branch failed at the value itself (say `input: 5`): the union's own words are better.
  if (!best || best.path.length === path.length) return { path, issue };
  return best;
}

/** `stages[1].space.workers.min: expected a positive number` */
export function formatIssue(issue: Issue): string {
  const { path, issue: chosen } = deepest(issue, []);
  return `${formatPath(path)}: ${describeIssue(chosen)}`;
}

/** The first issue in one line, and how many more there are. */
export function formatZodError(error: z.ZodError): string {
  const [first, ...rest] = error.issues;
  if (!first) return 'invalid';
  return rest.length === 0 ? formatIssue(first) : `${formatIssue(first)} (and ${rest.length} more)`;
}
