import { describe, expect, it } from 'vitest';
import { RightsizerError } from '../../../src/core/errors.js';
import { splitWords } from '../../../src/backends/exec/split-words.js';

describe('splitWords', () => {
  it('splits on runs of blanks', () => {
    expect(splitWords('  python\tengine.py   --fast \n')).toEqual(['python', 'engine.py', '--fast']);
    expect(splitWords('')).toEqual([]);
    expect(splitWords('   ')).toEqual([]);
  });

  it('keeps single-quoted text literally', () => {
    expect(splitWords(`run 'a b' 'it''s' '$HOME \\n "x"'`)).toEqual(['run', 'a b', 'its', '$HOME \\n "x"']);
  });

  it('keeps double-quoted text, where a backslash escapes only " \\ $ ` and newline', () => {
    expect(splitWords('run "my engine.py" "say \\"hi\\"" "C:\\temp" "a\\\\b" "\\$x"')).toEqual([
      'run',
      'my engine.py',
      'say "hi"',
      'C:\\temp',
      'a\\b',
      '$x',
    ]);
  });

  it('joins quoted and unquoted parts of one word, and keeps empty quoted words', () => {
    expect(splitWords(`--name="a b"'c d'e "" ''`)).toEqual(['--name=a bc de', '', '']);
  });

  it('lets a backslash escape the next character outside quotes, and continue a line', () => {
    expect(splitWords('my\\ engine \\"q\\" a\\\nb')).toEqual(['my engine', '"q"', 'ab']);
  });

  it('expands nothing: variables, globs and tildes stay as written', () => {
    expect(splitWords('echo $HOME ~/x *.py')).toEqual(['echo', '$HOME', '~/x', '*.py']);
  });

  it('refuses what only a shell could act on, and unterminated quoting', () => {
    for (const bad of ['a | b', 'a; b', 'a > out', 'a &', `'open`, '"open', 'trailing\\']) {
      expect(() => splitWords(bad), bad).toThrow(RightsizerError);
    }
    expect(splitWords(`'a | b' "c;d" e\\>f`)).toEqual(['a | b', 'c;d', 'e>f']);
  });
});
