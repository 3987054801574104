import type { z } from 'zod';

/** One zod issue as `a.b[2].c: message`, the field path a user can find in their file. */
export function formatZodIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  return path ? `${path}: ${issue.message}` : issue.message;
}
