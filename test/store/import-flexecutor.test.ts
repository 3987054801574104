import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SampleSchema } from '../../src/core/schemas.js';
import { archOf, importFlexecutorDir, parseLenientJson } from '../../src/store/import-flexecutor.js';

const fixtures = new URL('../fixtures/flexecutor/', import.meta.url).pathname;
const demo = join(fixtures, 'demo');
const plain = join(fixtures, 'plain');
/** The shared real data sits beside the repository: <repo>/../shared/data. */
const sharedData = new URL('../../../shared/data/flexecutor-lambda/examples', import.meta.url).pathname;

describe('importFlexecutorDir', () => {
  it('makes one sample per (config, repetition) with phases in ms and the recorded worker count', async () => {
    const { samples, warnings } = await importFlexecutorDir(demo, {
      name: 'demo',
      platform: 'aws-lambda-arm64',
    });
    expect(samples).toHaveLength(3);
    expect(warnings).toEqual([
      expect.stringMatching(/stage0\.json: 1 worker has a negative cold_start \(clocks out of step\)/),
      expect.stringMatching(/1 of 2 configs recorded another number of workers than their key says/),
      expect.stringMatching(
        /demo_aws_1024Mb_x86.*profiled on x86, not on platform aws-lambda-arm64; skipped/,
      ),
    ]);
    const [first, , single] = samples;
    expect(first).toMatchObject({
      workflow: 'demo',
      stage: 'stage0',
      platform: 'aws-lambda-arm64',
      config: { workers: 2, memoryMB: 1024 },
      rep: 0,
      status: 'ok',
    });
    const w0 = first!.workers[0]!;
    expect(w0.readMs).toBeCloseTo(500);
    expect(w0.computeMs).toBeCloseTo(2000);
    expect(w0.writeMs).toBeCloseTo(100);
    expect(w0.coldStartMs).toBeCloseTo(300);
    expect(w0.totalMs).toBeCloseTo(2700);
    expect(w0.billedMs).toBe(2700);
    // A negative cold start is clock skew: left out and flagged.
    expect(first!.workers[1]!.coldStartMs).toBeNull();
    expect(first!.workers[1]!['clockSkewMs']).toBeCloseTo(-50);
    // Makespan: slowest worker's cold start + read + compute + write (worker 1: 0 + 0.6 + 2.5 + 0.2).
    expect(first!.makespanMs).toBeCloseTo(3300);
    expect(single!.config.workers).toBe(1);
    expect(single!.makespanMs).toBeCloseTo(5100);
  });

  it('platform auto maps arm and x86 folders to the two Lambda platforms; runIds are deterministic', async () => {
    const a = await importFlexecutorDir(demo, { platform: 'auto', inputBytes: 1e6 });
    expect(a.samples).toHaveLength(6);
    expect(new Set(a.samples.map((s) => s.platform))).toEqual(
      new Set(['aws-lambda-arm64', 'aws-lambda-x86']),
    );
    expect(a.samples[0]!.workflow).toBe('demo');
    expect(a.samples[0]!.inputBytes).toBe(1e6);
    const ids = a.samples.map((s) => s.runId);
    expect(new Set(ids).size).toBe(6);
    expect((await importFlexecutorDir(demo, { platform: 'auto' })).samples.map((s) => s.runId)).toEqual(ids);
  });

  it('marks NaN, null and missing values null and falls back to read+compute+write', async () => {
    const { samples, warnings } = await importFlexecutorDir(plain, { name: 'p', platform: 'k8s' });
    expect(warnings).toEqual([
      expect.stringMatching(/config\.json: not a flexecutor profile/),
      expect.stringMatching(/stage1\.json: 1 samples have workers with missing phase values/),
    ]);
    const [s] = samples;
    expect(s!.stage).toBe('stage1');
    expect(s!.workers[0]).toMatchObject({ readMs: null, computeMs: 1000, totalMs: null, billedMs: null });
    expect(s!.workers[1]).toMatchObject({ computeMs: null, totalMs: null });
    // Neither worker has all three phases or a total: the makespan counts the known ones
    // (worker 0: cold 0.3 + compute 1.0 + write 0.1; worker 1: 0.3 + 0.5 + 0.1).
    expect(s!.makespanMs).toBeCloseTo(1400);
  });

  it('imports the good configs of a file with a bad key, and says which values were not numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-flex-'));
    const metrics = (compute: unknown) => ({
      read: [[0.5]],
      compute: [[compute]],
      write: [[0.1]],
      cold_start: [[0.2]],
    });
    writeFileSync(
      join(dir, 'stage1.json'),
      JSON.stringify({ '(1, 1024, 1)': metrics(2), '(1, 2048, 1)': metrics('2.0'), notes: 'x' }),
    );
    const { samples, warnings } = await importFlexecutorDir(dir, { name: 'w', platform: 'k8s' });
    expect(samples.map((x) => x.config.memoryMB)).toEqual([1024, 2048]);
    expect(samples[1]!.workers[0]!.computeMs).toBeNull();
    expect(warnings).toEqual([
      expect.stringMatching(/stage1\.json: 1 key not of the form "\(cpu, memoryMB, workers\)".*"notes"/),
      expect.stringMatching(/stage1\.json: 1 samples have workers with missing phase values/),
      expect.stringMatching(/stage1\.json: 1 value is not a number \(a string, a list…\); read as missing/),
    ]);
  });

  it('says when a phase lists fewer workers than the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-flex-'));
    const phases = (read: number[]) => ({
      read: [read],
      compute: [[1, 1, 1, 1]],
      write: [[0.1, 0.1, 0.1, 0.1]],
      worker_time_execution: [[1.6, 1.6, 1.6, 1.6]],
    });
    writeFileSync(join(dir, 'stage0.json'), JSON.stringify({ '(1, 1024, 4)': phases([0.5, 0.5]) }));
    const { samples, warnings } = await importFlexecutorDir(dir, { name: 'w', platform: 'k8s' });
    expect(samples[0]!.workers.map((w) => w.readMs)).toEqual([500, 500, null, null]);
    expect(warnings).toEqual([
      expect.stringMatching(/stage0\.json: some phases list fewer workers than the others \(read: 2 of 4\)/),
    ]);
    writeFileSync(join(dir, 'stage0.json'), JSON.stringify({ '(1, 1024, 4)': phases([0.5, 0.5, 0.5, 0.5]) }));
    expect((await importFlexecutorDir(dir, { name: 'w', platform: 'k8s' })).warnings).toEqual([]);
  });

  it("reads Python's NaN and Infinity as null, and a file behind a byte-order mark", () => {
    expect(parseLenientJson('\uFEFF{"a": NaN, "b": [-Infinity, 2], "c": "NaN"}')).toEqual({
      a: null,
      b: [null, 2],
      c: 'NaN',
    });
    // An error past a NaN or Infinity is placed in the file as written, not in the rewritten text.
    expect(() => parseLenientJson('{"a": [-Infinity, NaN, 1], "b": x}')).toThrow(/line 1, column 33$/);
    expect(() => parseLenientJson('{"a": [[NaN]], "c": [[1.0]],\n "b": }')).toThrow(
      /Unexpected token '}' at line 2, column 7$/,
    );
  });

  it('auto without a detectable architecture skips with a warning; nothing importable is an error', async () => {
    await expect(importFlexecutorDir(plain, { platform: 'auto' })).rejects.toThrow(
      /no sample could be imported/,
    );
    await expect(importFlexecutorDir(join(fixtures, 'nope'), { platform: 'auto' })).rejects.toThrow(
      /no such folder/,
    );
  });

  it('reads the architecture from folder names', () => {
    expect(archOf(['ml', 'profiling', 'ml_aws_512Mb_arm'])).toBe('arm');
    expect(archOf(['pi_aws_2048MB_x86'])).toBe('x86');
    expect(archOf(['run-x86_64'])).toBe('x86');
    expect(archOf(['plain'])).toBeNull();
  });

  it.skipIf(!existsSync(sharedData))('imports the real flexecutor Lambda profiles', async () => {
    const { samples, warnings } = await importFlexecutorDir(sharedData, { platform: 'auto' });
    expect(warnings.every((w) => /another number of workers/.test(w))).toBe(true);
    expect(new Set(samples.map((s) => s.workflow))).toEqual(new Set(['ml', 'video', 'titanic', 'pi']));
    expect(new Set(samples.map((s) => s.config.memoryMB))).toEqual(new Set([512, 1024, 2048]));
    expect(new Set(samples.map((s) => s.runId)).size).toBe(samples.length);
    for (const s of samples) {
      expect(SampleSchema.safeParse(s).success).toBe(true);
      expect(s.workers).toHaveLength(s.config.workers);
      expect(s.makespanMs).toBeGreaterThan(0);
    }
    // ml stage0 does not parallelise: one worker whatever the key says.
    expect(
      samples.filter((s) => s.workflow === 'ml' && s.stage === 'stage0').every((s) => s.config.workers === 1),
    ).toBe(true);
    expect(samples.some((s) => s.workflow === 'ml' && s.stage === 'stage1' && s.config.workers === 28)).toBe(
      true,
    );
  });
});
