import { describe, expect, it } from 'vitest';
import { headline, jsonErrorMessage, stripBom } from '../../src/core/text.js';

describe('text from other tools', () => {
  it('strips one leading byte-order mark and nothing else', () => {
    expect(stripBom('\uFEFF{"a":1}')).toBe('{"a":1}');
    expect(stripBom('{"a":"\uFEFF"}')).toBe('{"a":"\uFEFF"}');
    expect(stripBom('')).toBe('');
  });

  it("names the line and column of JSON.parse's error instead of its character position", () => {
    const errorOf = (text: string): unknown => {
      try {
        JSON.parse(text);
      } catch (e) {
        return e;
      }
      throw new Error(`parsed: ${text}`);
    };
    const text = '{\n  "a": 1,\n  "b": ]\n}';
    expect(jsonErrorMessage(text, errorOf(text))).toBe("Unexpected token ']' at line 3, column 8");
    const comma = '{"a": 1\n "b": 2}';
    expect(jsonErrorMessage(comma, errorOf(comma))).toMatch(
      /^Expected ',' or '}' after property value at line 2, column 2$/,
    );
    // V8's "after JSON at position N" is placed too, without its position left in the reason.
    const extra = '{"a": 1}\n x';
    expect(jsonErrorMessage(extra, errorOf(extra))).toBe(
      'Unexpected non-whitespace character after JSON at line 2, column 2',
    );
    // A file cut short fails at its end, which is all there is to say.
    expect(jsonErrorMessage('{"a": ', new Error('Unexpected end of JSON input'))).toBe(
      'Unexpected end of JSON input',
    );
  });

  it("takes an error's first line, joined to the next when it only announces it", () => {
    const esbuild = 'Transform failed with 1 error:\n/w/stages/a.ts:3:7: ERROR: Unexpected ";"\n    at x';
    expect(headline(esbuild)).toBe(
      'Transform failed with 1 error: /w/stages/a.ts:3:7: ERROR: Unexpected ";"',
    );
    expect(headline('\nboom\n  at f (a.js:1)')).toBe('boom');
    expect(headline('')).toBe('');
  });
});
