import { describe, expect, it } from 'vitest';
import { importLithopsStats, parseLithopsRuns } from '../../src/store/import-lithops-stats.js';
import { TIMEOUT_RECORD } from '../fixtures/lithops-record.js';

const fixture = new URL('../fixtures/lithops/runs.jsonl', import.meta.url).pathname;

describe('importLithopsStats', () => {
  it('turns each run into a sample and reports bad lines by number', async () => {
    const { samples, warnings } = await importLithopsStats(fixture);
    expect(samples.map((s) => s.status)).toEqual(['ok', 'ok', 'oom', 'error']);
    expect(warnings).toEqual([
      expect.stringMatching(/runs\.jsonl:2: 1 of 2 workers started before they were submitted/),
      expect.stringMatching(/runs\.jsonl:3: not valid JSON/),
      expect.stringMatching(/runs\.jsonl:5: stage: required \(a string\); line skipped/),
    ]);
  });

  it('measures makespan on the host clock, cold start from submit, phases when given', async () => {
    const [ok] = (await importLithopsStats(fixture)).samples;
    expect(ok).toMatchObject({
      schema: 'rightsizer.sample/v1',
      workflow: 'wc',
      stage: 'count',
      backend: 'lithops',
      platform: 'aws-lambda-x86',
      rep: 0,
      inputBytes: 1000000,
      startedAt: '2023-11-14T22:13:20.000Z',
    });
    expect(ok!.makespanMs).toBeCloseTo(3500, 3);
    expect(ok!.runId).toMatch(/^lithops-[0-9a-f]{16}$/);
    const [w0, w1] = ok!.workers;
    expect(w0!.coldStartMs).toBeCloseTo(400, 3);
    expect(w0!.readMs).toBeCloseTo(500, 3);
    expect(w0!.computeMs).toBeCloseTo(1200, 3);
    expect(w0!.writeMs).toBeCloseTo(300, 3);
    expect(w0!.totalMs).toBeCloseTo(2200, 3);
    expect(w0!.billedMs).toBe(Math.ceil(w0!.totalMs!));
    expect(w0!.peakMemoryMB).toBe(50);
    expect(w0!.cold).toBe(true);
    // Without phases, the function's time is compute and read/write are unknown.
    expect(w1!.computeMs).toBeCloseTo(1500, 3);
    expect(w1!.readMs).toBeNull();
    expect(w1!.writeMs).toBeNull();
  });

  it('keeps runId and rep, and flags a negative cold start as clock skew', async () => {
    const s = (await importLithopsStats(fixture)).samples[1]!;
    expect(s.runId).toBe('run-b');
    expect(s.rep).toBe(5);
    expect(s.workers[0]!.coldStartMs).toBeNull();
    expect(s.workers[0]!['clockSkewMs']).toBeCloseTo(-200, 3);
    expect(s.workers[1]!.coldStartMs).toBeCloseTo(300, 3);
  });

  it('a raised MemoryError is oom; a future without func stats is an error with a message', async () => {
    const [, , oom, err] = (await importLithopsStats(fixture)).samples;
    expect(oom!.error).toBe('worker 0: MemoryError: cannot allocate');
    // Runs without rep continue after the last one seen for the same config (run-b was rep 5).
    expect(oom!.rep).toBe(6);
    expect(err!.error).toMatch(/worker 0: no worker_func_\* stats/);
  });

  it('the same line imports to the same runId; no importable line is an error', () => {
    const text = `${JSON.stringify(TIMEOUT_RECORD)}\n`;
    const a = parseLithopsRuns(text, 'a');
    expect(a.samples[0]).toMatchObject({ status: 'timeout', error: 'status timeout', makespanMs: null });
    expect(parseLithopsRuns(text, 'b').samples[0]!.runId).toBe(a.samples[0]!.runId);
    // Within one file, a repeated record or runId is one run: the later line is skipped, saying so.
    const named = text.replace('"status"', '"runId":"r1","status"');
    const twice = parseLithopsRuns(text + text + named + named.replace('timeout', 'error'), 'c');
    expect(twice.samples.map((s) => s.rep)).toEqual([0, 1]);
    expect(twice.warnings).toEqual([
      'c:2: the same record as line 1; line skipped',
      'c:4: runId "r1" is already line 3\'s; line skipped',
    ]);
    // A line skipped as a bad sample does not claim its runId: the same run's good line is taken.
    const bad = named.replace('"runId":"r1"', '"runId":"r1","inputBytes":1e30');
    const retried = parseLithopsRuns(bad + named, 'd');
    expect(retried.samples.map((s) => s.runId)).toEqual(['r1']);
    expect(retried.samples[0]!.rep).toBe(0);
    expect(retried.warnings).toHaveLength(1);
    expect(retried.warnings[0]).toMatch(/^d:1: the run does not make a valid sample/);
    expect(() => parseLithopsRuns('\n', 'empty.jsonl')).toThrow(
      /empty\.jsonl: no Lithops run could be imported \(the file is empty\)/,
    );
    expect(() => parseLithopsRuns('{"schema":"x"}\n', 'x.jsonl')).toThrow(
      /x\.jsonl:1: schema: expected "rightsizer\.lithops-run\/v1"/,
    );
  });

  it('writes a given start time as ISO-8601, and leaves out one that is not a time, saying so', () => {
    const line = (startedAt: string) =>
      `${JSON.stringify({
        schema: 'rightsizer.lithops-run/v1',
        workflow: 'w',
        stage: 's',
        config: { workers: 1, memoryMB: 512 },
        status: 'timeout',
        startedAt,
        futures: [],
      })}\n`;
    const ok = parseLithopsRuns(line('2026-01-01T10:00:00+01:00'), 'a');
    expect(ok.samples[0]!.startedAt).toBe('2026-01-01T09:00:00.000Z');
    const bad = parseLithopsRuns(line('yesterday'), 'b');
    expect(bad.samples[0]!.startedAt).toBeUndefined();
    expect(bad.warnings.join('\n')).toMatch(/startedAt "yesterday" is not a time; left out/);
  });

  it('skips a run whose timestamps are milliseconds, saying so (future.stats gives seconds)', () => {
    const line = (t: number) =>
      `${JSON.stringify({
        schema: 'rightsizer.lithops-run/v1',
        workflow: 'w',
        stage: 's',
        config: { workers: 1, memoryMB: 512 },
        futures: [{ host_submit_tstamp: t, host_status_done_tstamp: t + 2 }],
      })}\n`;
    const inMs = parseLithopsRuns(line(1_800_000_000) + line(1_800_000_000_000), 'ms');
    expect(inMs.samples).toHaveLength(1);
    expect(inMs.warnings.join('\n')).toMatch(
      /ms:2: host_submit_tstamp 1800000000000 looks like milliseconds/,
    );
    expect(() => parseLithopsRuns(line(1_800_000_000_000), 'only')).toThrow(/looks like milliseconds/);
  });

  it("never records a makespan shorter than a worker's own run (host and worker clocks disagree)", () => {
    const future = {
      host_submit_tstamp: 1000.0,
      worker_start_tstamp: 1000.2,
      worker_func_start_tstamp: 1000.3,
      worker_func_end_tstamp: 1004.3,
      worker_func_exec_time: 4.0,
      worker_end_tstamp: 1004.4,
      worker_exec_time: 4.2,
      // The host saw the run end 3 s after it submitted it: less than the worker's 4.2 s.
      host_status_done_tstamp: 1003.0,
    };
    const text = `${JSON.stringify({
      schema: 'rightsizer.lithops-run/v1',
      workflow: 'w',
      stage: 's',
      config: { workers: 1, memoryMB: 512 },
      futures: [future],
    })}\n`;
    const { samples, warnings } = parseLithopsRuns(text, 'skew.jsonl');
    const s0 = samples[0]!;
    expect(s0.status).toBe('ok');
    expect(s0.makespanMs).toBeGreaterThanOrEqual(s0.workers[0]!.totalMs!);
    expect(warnings.join('\n')).toMatch(/shorter than a worker's run .* clock skew/);
  });
});
