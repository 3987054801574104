import { describe, expect, it } from 'vitest';
import { ReplyReader } from '../../../src/backends/exec/reply-reader.js';
import { TailBuffer } from '../../../src/backends/exec/tail-buffer.js';

describe('ReplyReader', () => {
  it('keeps the last line that parses as JSON, across chunk boundaries and without a final newline', () => {
    const r = new ReplyReader(1000);
    for (const chunk of ['log\n{"a"', ':1}\nmore log\r\n', '{"b":', '2}']) r.push(chunk);
    expect(r.reply()).toEqual({ value: { a: 1 } });
    r.end();
    expect(r.reply()).toEqual({ value: { b: 2 } });
  });

  it('finds nothing in plain text', () => {
    const r = new ReplyReader(1000);
    r.push('hello\n{broken\n');
    r.end();
    expect(r.reply()).toBeNull();
  });

  it('skips lines longer than its cap, and counts them', () => {
    const r = new ReplyReader(10);
    r.push('{"ok":1}\n{"long":"');
    r.push('xxxxxxxxxxxx"}\n');
    r.end();
    expect(r.reply()).toEqual({ value: { ok: 1 } });
    expect(r.overlongLines).toBe(1);
  });
});

describe('TailBuffer', () => {
  it('keeps only the end, cut at a line boundary', () => {
    const t = new TailBuffer(20);
    for (let i = 0; i < 100; i++) t.push(`line ${i}\n`);
    expect(t.tail()).toBe('…line 98\nline 99');
    expect(new TailBuffer(20).tail()).toBe('');
  });
});
