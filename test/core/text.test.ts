import { describe, expect, it } from 'vitest';
import { jsonErrorMessage, stripBom } from '../../src/core/text.js';

describe('text from other tools', () => {
  it('strips one leading byte-order mark and nothing else', () => {
    expect(stripBom('\uFEFF{"a":1}')).toBe('{"a":1}');
    expect(stripBom('{"a":"\uFEFF"}')).toBe('{"a":"\uFEFF"}');
    expect(stripBom('')).toBe('');
  });

  it("names the line and column of JSON.parse's error instead of its character position", () => {
    const text = '{\n  "a": 1,\n  "b": ]\n}';
    let error: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      error = e;
    }
    expect(jsonErrorMessage(text, error)).toBe("Unexpected token ']' at line 3, column 8");
    const comma = '{"a": 1\n "b": 2}';
    try {
      JSON.parse(comma);
    } catch (e) {
      expect(jsonErrorMessage(comma, e)).toMatch(
        /^Expected ',' or '}' after property value at line 2, column 2$/,
      );
    }
    // A file cut short fails at its end, which is all there is to say.
    expect(jsonErrorMessage('{"a": ', new Error('Unexpected end of JSON input'))).toBe(
      'Unexpected end of JSON input',
    );
  });
});
