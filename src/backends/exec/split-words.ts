/**
 * Splits a command line into words the way a POSIX shell does — whitespace separates words,
 * '…' is literal, "…" is literal except for \" \\ \$ \` and \<newline>, a backslash outside
 * quotes escapes the next character — but no shell runs: no variables, globs, `~` or
 * operators are expanded. An unquoted operator character (| & ; < >) is refused rather than
 * passed on as a literal word, since a user who wrote one expected a shell to act on it.
 *
 *   splitWords(`python "my engine.py" --tag 'a b'`) → ['python', 'my engine.py', '--tag', 'a b']
 */
import { inputError } from '../../core/errors.js';

const BLANK = new Set([' ', '\t', '\n', '\r']);
const OPERATOR = new Set(['|', '&', ';', '<', '>']);
/** Inside double quotes a backslash escapes only these (POSIX 2.2.3); elsewhere it stays. */
const DQ_ESCAPABLE = new Set(['"', '\\', '$', '`', '\n']);

export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  // A word exists once any character or quote of it is seen, so `""` gives an empty word.
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line.charAt(i);
    if (BLANK.has(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw inputError(`unterminated ' quote at column ${i + 1}`, 'close the quote');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw inputError('unterminated " quote', 'close the quote');
        const d = line.charAt(i);
        if (d === '"') break;
        const next = line.charAt(i + 1);
        if (d === '\\' && DQ_ESCAPABLE.has(next)) {
          if (next !== '\n') word += next;
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      inWord = true;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw inputError('a trailing \\ escapes nothing', 'remove it or quote it');
      const next = line.charAt(i + 1);
      // Backslash-newline is a line continuation: it joins, it adds nothing.
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
    } else if (OPERATOR.has(c)) {
      throw inputError(
        `unquoted ${c} at column ${i + 1}: no shell runs, so shell operators have no effect`,
        `quote it, or run a shell yourself: sh -c '…'`,
      );
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
