/** Text read from files written by other tools (Windows editors, PowerShell's `Out-File`). */

/** The text without a leading UTF-8 byte-order mark, which JSON.parse rejects. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * JSON.parse's message, on one line, with where it failed as "line L, column C". Node 20 gives
 * "at position N" for some errors and, for others, only an excerpt of the text (with its newlines);
 * there the place is found as the shortest prefix that fails other than by ending early.
 */
export function jsonErrorMessage(
  text: string,
  error: unknown,
  /** When `text` was rewritten from another: that text, and where a position of `text` came from. */
  source?: { text: string; at: (position: number) => number },
): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  const found = at ? Number(at[1]) : failurePosition(text);
  const position = found === null || !source ? found : source.at(found);
  if (source) text = source.text;
  const reason = message
    .replace(/\s*(?:in JSON )?at position \d+.*$/s, '')
    .replace(/,\s*(?:\.\.\.)?".*" is not valid JSON$/s, '')
    .split('\n')[0]!;
  if (position === null) return reason;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${column}`;
}

/** Index of the character JSON.parse fails at, or null when the text only ends early (or parses). */
function failurePosition(text: string): number | null {
  const failsInside = (k: number): boolean => {
    try {
      JSON.parse(text.slice(0, k));
      return false;
    } catch (e) {
      const message = (e as Error).message;
      if (/Unexpected end of JSON input/.test(message)) return false;
      // A prefix cut mid-value fails "at position k": at its end, not inside.
      const at = /at position (\d+)/.exec(message);
      return !at || Number(at[1]) < k;
    }
  };
  if (!failsInside(text.length)) return null;
  let lo = 0;
  let hi = text.length;
  // Invariant: the prefix of length hi fails inside, that of length lo does not.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (failsInside(mid)) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

/**
 * The first line of an error that says something: a line ending in ':' ("Transform failed with 1
 * error:") announces the next, which is joined to it.
 */
export function headline(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const first = lines[0] ?? '';
  return first.endsWith(':') && lines[1] !== undefined ? `${first} ${lines[1]}` : first;
}
