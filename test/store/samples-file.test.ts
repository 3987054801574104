import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { RightsizerError } from '../../src/core/errors.js';
import type { Sample } from '../../src/core/schemas.js';
import { appendSample, parseSamples, readSamples, writeSamples } from '../../src/store/samples-file.js';

const fixture = (name: string): string => new URL(`../fixtures/samples/${name}`, import.meta.url).pathname;

function sample(over: Partial<Sample> = {}): Sample {
  return {
    schema: 'rightsizer.sample/v1',
    workflow: 'w',
    stage: 's',
    config: { workers: 1, memoryMB: 1024 },
    rep: 0,
    status: 'ok',
    makespanMs: 100,
    workers: [{ totalMs: 90, computeMs: 80 }],
    ...over,
  };
}
const line = (over: Partial<Sample> = {}): string => JSON.stringify(sample(over));

async function rejects(p: Promise<unknown>): Promise<RightsizerError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RightsizerError) return e;
    throw e;
  }
  throw new Error('expected a RightsizerError');
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rightsizer-samples-'));
});

describe('readSamples', () => {
  it('reads the fixture: bad lines reported with their numbers and reasons, the rest kept', async () => {
    const { samples, problems, duplicates } = await readSamples(fixture('mixed.jsonl'));
    expect(samples.map((s) => s.rep)).toEqual([0, 1, 3]);
    expect(duplicates).toBe(1);
    expect(problems).toEqual([
      { line: 3, reason: expect.stringMatching(/^not valid JSON/) },
      { line: 4, reason: 'config.memoryMB: expected a positive number' },
      { line: 5, reason: 'makespanMs: required when status is "ok"' },
      { line: 6, reason: 'status: expected one of "ok", "oom", "timeout", "error"' },
      { line: 9, reason: 'expected a JSON object (one rightsizer.sample/v1 per line)' },
    ]);
  });

  it('keeps unknown fields and fills workers[] for failed runs', () => {
    const text = `${JSON.stringify({ ...sample({ status: 'oom', makespanMs: null }), workers: undefined, extra: 7 })}\n`;
    const [s] = parseSamples(text, 'x.jsonl').samples;
    expect(s).toMatchObject({ status: 'oom', workers: [], extra: 7 });
  });

  it('takes null in an optional field as the field left out (a producer writing None)', () => {
    const nulls = { runId: null, platform: null, backend: null, startedAt: null, requests: null };
    const text = `${JSON.stringify({ ...sample(), ...nulls, config: { workers: 2, memoryMB: 512, vcpu: null } })}\n`;
    const r = parseSamples(text, 'x.jsonl');
    expect(r.problems).toEqual([]);
    expect(r.samples[0]).not.toHaveProperty('runId');
    expect(r.samples[0]).not.toHaveProperty('platform');
    expect(r.samples[0]!.config).toEqual({ workers: 2, memoryMB: 512 });
    // A required field still may not be null.
    const bad = parseSamples(`${line()}\n${JSON.stringify({ ...sample(), stage: null })}\n`, 'x.jsonl');
    expect(bad.problems).toEqual([{ line: 2, reason: expect.stringMatching(/^stage:/) }]);
  });

  it('ignores blank lines (and CRLF endings) and counts lines from 1', () => {
    const text = `\n${line()}\r\n   \n{oops\n`;
    const r = parseSamples(text, 'x.jsonl');
    expect(r.samples).toHaveLength(1);
    expect(r.problems.map((p) => p.line)).toEqual([4]);
  });

  it('reads a file that starts with a UTF-8 byte-order mark (Windows editors write one)', () => {
    const r = parseSamples(`\uFEFF${line({ rep: 0 })}\n${line({ rep: 1 })}\n`, 'x.jsonl');
    expect(r.problems).toEqual([]);
    expect(r.samples.map((s) => s.rep)).toEqual([0, 1]);
  });

  it('refuses an ok run without a duration and values past any unit (a mix-up, not a measurement)', () => {
    const bad = [
      line({ makespanMs: 0 }),
      line({ makespanMs: 1e-300 }),
      line({ makespanMs: 1e300 }),
      line({ inputBytes: 1e30 }),
      line({ config: { workers: 1, memoryMB: 1e9 } }),
      line({ workers: [{ totalMs: 1e300 }] }),
    ];
    const r = parseSamples(`${[line(), ...bad].join('\n')}\n`, 'x.jsonl');
    expect(r.samples).toHaveLength(1);
    expect(r.problems.map((p) => p.reason)).toEqual([
      'makespanMs: must be at least 0.001 ms when status is "ok" (got 0)',
      'makespanMs: must be at least 0.001 ms when status is "ok" (got 1e-300)',
      'makespanMs: expected a number ≤ 31536000000: more than a year, check the unit (milliseconds)',
      'inputBytes: expected a number ≤ 1000000000000000000: more than an exabyte, check the unit (bytes)',
      'config.memoryMB: expected a number ≤ 10485760: more than 10 TiB, check the unit (MB)',
      'workers[0].totalMs: expected a number ≤ 31536000000: more than a year, check the unit (milliseconds)',
    ]);
    // A failed run has no makespan to check.
    expect(parseSamples(`${line({ status: 'oom', makespanMs: 0 })}\n`, 'x.jsonl').samples).toHaveLength(1);
  });

  it('under strict, the first bad line is fatal and names file:line', async () => {
    const e = await rejects(readSamples(fixture('mixed.jsonl'), { strict: true }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/mixed\.jsonl:3: not valid JSON/);
  });

  it('reports a torn last line as torn', () => {
    const r = parseSamples(`${line({ rep: 0 })}\n${line({ rep: 1 }).slice(0, 30)}`, 'x.jsonl');
    expect(r.samples).toHaveLength(1);
    expect(r.problems).toEqual([{ line: 2, reason: expect.stringMatching(/^torn last line/) }]);
  });

  it('accepts a complete last line without its newline', () => {
    expect(parseSamples(`${line({ rep: 0 })}\n${line({ rep: 1 })}`, 'x.jsonl').samples).toHaveLength(2);
  });

  it('dedupes by runId only: later duplicates dropped, lines without runId never merged', () => {
    const text = [
      line({ runId: 'a', rep: 0 }),
      line({ runId: 'a', rep: 9 }),
      line(),
      line(),
      line({ runId: 'b' }),
    ].join('\n');
    const r = parseSamples(text, 'x.jsonl');
    expect(r.samples.map((s) => s.runId ?? '-')).toEqual(['a', '-', '-', 'b']);
    expect(r.samples[0]!.rep).toBe(0);
    expect(r.duplicates).toBe(1);
  });

  it("an error's rerun (the same runId, later in the file) replaces it, where another duplicate is dropped", () => {
    const text = [
      line({ runId: 'a', status: 'error', error: 'Cannot find module', makespanMs: null, workers: [] }),
      line({ runId: 'b' }),
      line({ runId: 'a', rep: 0, makespanMs: 120 }),
      line({ runId: 'a', rep: 0, makespanMs: 999 }),
    ].join('\n');
    const r = parseSamples(text, 'x.jsonl');
    expect(r.samples.map((x) => [x.runId, x.status, x.makespanMs])).toEqual([
      ['a', 'ok', 120],
      ['b', 'ok', 100],
    ]);
    expect(r.duplicates).toBe(1);
  });

  it('a missing file is one clear error (or nothing with allowEmpty)', async () => {
    const path = join(dir, 'nope.jsonl');
    const e = await rejects(readSamples(path));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`${path}: no such samples file`);
    expect(await readSamples(path, { allowEmpty: true })).toEqual({
      samples: [],
      problems: [],
      duplicates: 0,
    });
  });

  it('an empty file, or one without a valid sample, is an error', async () => {
    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '\n\n');
    expect((await rejects(readSamples(empty))).message).toBe(`${empty}: empty samples file`);
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"schema":"nope"}\n');
    const e = await rejects(readSamples(bad));
    expect(e.message).toMatch(
      /bad\.jsonl: no valid sample in 1 line \(line 1: schema: expected "rightsizer.sample\/v1" \(and 5 more\)\)/,
    );
  });

  it('a directory is not a samples file', async () => {
    expect((await rejects(readSamples(dir))).message).toMatch(/is a directory/);
  });
});

describe('appendSample', () => {
  it('creates parent folders and appends one line per sample', async () => {
    const path = join(dir, 'a', 'b', 'samples.jsonl');
    await appendSample(path, sample({ rep: 0 }));
    await appendSample(path, sample({ rep: 1 }));
    const text = await readFile(path, 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    expect((await readSamples(path)).samples.map((s) => s.rep)).toEqual([0, 1]);
  });

  it('sets a torn fragment aside to <file>.torn and keeps every earlier line', async () => {
    const path = join(dir, 'samples.jsonl');
    const torn = line({ rep: 1 }).slice(0, 40);
    await writeFile(path, `${line({ rep: 0 })}\n${torn}`);
    const { setAside } = await appendSample(path, sample({ rep: 2 }));
    expect(setAside).toBe(`${path}.torn`);
    const r = await readSamples(path, { strict: true });
    expect(r.samples.map((s) => s.rep)).toEqual([0, 2]);
    const aside = await readFile(`${path}.torn`, 'utf8');
    expect(aside).toMatch(/^# .*torn last line \(40 bytes at byte \d+\) set aside/);
    expect(aside.split('\n')[1]).toBe(torn);
  });

  it('a complete last line missing its newline gets one instead of being set aside', async () => {
    const path = join(dir, 'samples.jsonl');
    await writeFile(path, line({ rep: 0 }));
    expect((await appendSample(path, sample({ rep: 1 }))).setAside).toBeNull();
    expect((await readSamples(path, { strict: true })).samples).toHaveLength(2);
  });

  it('so does a lone first line that starts with a byte-order mark', async () => {
    const path = join(dir, 'samples.jsonl');
    await writeFile(path, `\uFEFF${line({ rep: 0 })}`);
    expect((await appendSample(path, sample({ rep: 1 }))).setAside).toBeNull();
    expect((await readSamples(path, { strict: true })).samples.map((s) => s.rep)).toEqual([0, 1]);
  });

  it('refuses an invalid sample rather than writing a line no one can read', async () => {
    const path = join(dir, 'samples.jsonl');
    const bad = { ...sample(), config: { workers: 0, memoryMB: 1 } } as Sample;
    await expect(appendSample(path, bad)).rejects.toThrow(/config\.workers/);
  });
});

describe('writeSamples', () => {
  it('writes JSONL to a file atomically, or appends', async () => {
    const path = join(dir, 'out', 'x.jsonl');
    await writeSamples(path, [sample({ rep: 0 }), sample({ rep: 1 })]);
    await writeSamples(path, [sample({ rep: 2 })], { append: true });
    expect((await readSamples(path)).samples.map((s) => s.rep)).toEqual([0, 1, 2]);
    await writeSamples(path, [sample({ rep: 5 })]);
    expect((await readSamples(path)).samples.map((s) => s.rep)).toEqual([5]);
  });

  it('writes to a stream', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    await writeSamples(stream, [sample(), sample({ rep: 1 })]);
    expect(Buffer.concat(chunks).toString().trim().split('\n')).toHaveLength(2);
  });
});
