import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExecBackend } from '../../../src/backends/exec/index.js';
import { RightsizerError } from '../../../src/core/errors.js';
import { SampleSchema } from '../../../src/core/types.js';
import { runCostUSD } from '../../../src/platforms/index.js';
import { engine, platform, request, running } from './engines.js';

/** A short grace keeps the kill tests near a second. */
const fast = { killGraceMs: 200 };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rightsizer-exec-'));
});

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Waits until the hang engine says its grandchild is up (it writes its pid file then). */
async function untilWritten(file: string): Promise<void> {
  for (let i = 0; i < 500 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('ExecBackend: replies', () => {
  it('sends exactly the run-request line and maps the reply to a complete sample', async () => {
    const seen = join(dir, 'seen.json');
    const backend = new ExecBackend(`${engine('echo.mjs', seen)} "a \\"b\\"" c\\ d '' e`, platform, {
      env: { RIGHTSIZER_TEST_VAR: 'passed' },
    });
    const before = Date.now();
    const { sample } = await backend.runStage(request());
    const got = await readJson<{ requestLine: string; args: string[]; env: string }>(seen);
    expect(got.requestLine).toBe(
      `${JSON.stringify({
        schema: 'rightsizer.run-request/v1',
        runId: 'run-1',
        workflow: 'wf',
        stage: 'rebin',
        config: { workers: 3, memoryMB: 1024, vcpu: 1024 / 1769 },
        platform: 'aws-lambda-x86',
        inputBytes: 1_000_000,
        rep: 2,
        timeoutMs: 5000,
        seed: 7,
      })}\n`,
    );
    expect(got.args).toEqual(['a "b"', 'c d', '', 'e']);
    expect(got.env).toBe('passed');

    expect(SampleSchema.safeParse(sample).success).toBe(true);
    expect(sample).toMatchObject({
      schema: 'rightsizer.sample/v1',
      runId: 'run-1',
      workflow: 'wf',
      stage: 'rebin',
      config: { workers: 3, memoryMB: 1024, vcpu: 1024 / 1769 },
      inputBytes: 1_000_000,
      platform: 'aws-lambda-x86',
      backend: 'exec',
      rep: 2,
      timeoutMs: 5000,
      status: 'ok',
      error: null,
      makespanMs: 250,
    });
    expect(Date.parse(sample.startedAt ?? '')).toBeGreaterThanOrEqual(before - 1);
    expect(sample.workers).toHaveLength(3);
    expect(sample.workers[0]).toEqual({
      coldStartMs: 100,
      readMs: 10,
      computeMs: 50,
      writeMs: 5,
      totalMs: 70,
      peakMemoryMB: 64,
      billedMs: 171,
      cold: true,
    });
    expect(sample.costUSD).toBeCloseTo(runCostUSD(platform, request().config, [171, 172, 173]), 15);
    expect(sample).not.toHaveProperty('note');
    expect(backend.concurrency(request().config)).toBe(platform.maxConcurrency);
  });

  it('finds the reply after logs, and takes the cost the engine gives', async () => {
    const { sample } = await new ExecBackend(engine('chatty.mjs'), platform).runStage(request());
    expect(sample).toMatchObject({ status: 'ok', makespanMs: 12, costUSD: 0.5, workers: [{ totalMs: 10 }] });
  });

  it('bills wall time plus cold start when the engine gives neither cost nor billed time', async () => {
    const reply = JSON.stringify({
      schema: 'rightsizer.run-result/v1',
      status: 'ok',
      makespanMs: 40,
      workers: [{ totalMs: 30, coldStartMs: 5 }],
      outputBytes: 99,
    });
    const { sample, notes } = await new ExecBackend(engine('reply.mjs', reply), platform).runStage(request());
    // One entry for the request's 3 workers: every worker that ran is billed, at the entry's time.
    expect(sample.costUSD).toBeCloseTo(runCostUSD(platform, request().config, [35, 35, 35]), 15);
    expect(notes).toEqual([
      expect.stringMatching(/^the engine's reply lists 1 of 3 workers: .*their mean \(cost, phases\)$/),
    ]);
    expect(sample.outputBytes).toBe(99);
    // With the engine's own cost, only the phases rest on the listed worker.
    const costed = JSON.stringify({ ...JSON.parse(reply), costUSD: 0.5 });
    const withCost = await new ExecBackend(engine('reply.mjs', costed), platform).runStage(request());
    expect(withCost.sample.costUSD).toBe(0.5);
    expect(withCost.notes).toEqual([
      expect.stringMatching(/their mean \(phases; the cost is the reply's\)$/),
    ]);
    const all = JSON.stringify({
      schema: 'rightsizer.run-result/v1',
      status: 'ok',
      makespanMs: 40,
      workers: [{ totalMs: 30 }, { totalMs: 20 }, { totalMs: 10 }],
    });
    const listed = await new ExecBackend(engine('reply.mjs', all), platform).runStage(request());
    expect(listed.sample.costUSD).toBeCloseTo(runCostUSD(platform, request().config, [30, 20, 10]), 15);
    expect(listed.notes).toBeUndefined();
  });

  it('turns an oom reply on exit 0 into an oom sample', async () => {
    const reply = JSON.stringify({
      schema: 'rightsizer.run-result/v1',
      status: 'oom',
      error: 'worker 2 OOM',
    });
    const { sample } = await new ExecBackend(engine('reply.mjs', reply), platform).runStage(request());
    expect(sample).toMatchObject({ status: 'oom', makespanMs: null, workers: [], costUSD: null });
    expect(sample.error).toContain('worker 2 OOM');
  });
});

describe('ExecBackend: a reply past the timeout', () => {
  it('is a timeout sample when a worker it reports ran past the stage timeout', async () => {
    const worker = (totalMs: number) => ({
      coldStartMs: 100,
      readMs: 10,
      computeMs: totalMs - 20,
      writeMs: 10,
      totalMs,
    });
    const reply = (totalMs: number) =>
      JSON.stringify({
        schema: 'rightsizer.run-result/v1',
        status: 'ok',
        makespanMs: totalMs + 200,
        workers: [worker(1000), worker(totalMs)],
      });
    const late = await new ExecBackend(engine('reply.mjs', reply(7000)), platform).runStage(request());
    expect(late.sample.status).toBe('timeout');
    expect(late.sample.error).toMatch(/7000 ms, past the stage's timeoutMs 5000 ms/);
    const inTime = await new ExecBackend(engine('reply.mjs', reply(4000)), platform).runStage(request());
    expect(inTime.sample.status).toBe('ok');
  });
});

describe('ExecBackend: failures are error samples with the tail of stderr', () => {
  it('garbage on stdout', async () => {
    const { sample } = await new ExecBackend(engine('garbage.mjs'), platform).runStage(request());
    expect(sample).toMatchObject({ status: 'error', makespanMs: null, workers: [], backend: 'exec' });
    expect(sample.error).toMatch(/no line of the engine's stdout parsed as JSON/);
    expect(sample.error).toMatch(/ValueError: engine exploded$/);
    // A bounded tail, not all 500 lines of noise.
    expect(sample.error).not.toContain('noise line 0\n');
    expect((sample.error ?? '').length).toBeLessThan(2500);
    expect(SampleSchema.safeParse(sample).success).toBe(true);
  });

  it('a non-zero exit, even after a valid reply', async () => {
    const reply = JSON.stringify({ schema: 'rightsizer.run-result/v1', status: 'oom' });
    const backend = new ExecBackend(engine('reply.mjs', reply, '3', 'disk full\n'), platform);
    const { sample } = await backend.runStage(request());
    expect(sample.status).toBe('error');
    expect(sample.error).toBe('the engine exited with code 3; stderr: disk full');
  });

  it('a reply that is not a run-result', async () => {
    const reply = JSON.stringify({ schema: 'rightsizer.run-result/v1', status: 'ok', makespanMs: 3 });
    const { sample } = await new ExecBackend(engine('reply.mjs', reply), platform).runStage(request());
    expect(sample.status).toBe('error');
    expect(sample.error).toMatch(/not a rightsizer\.run-result\/v1: workers: needs one entry per worker/);
  });

  it('a reply no sample can hold (an ok run of 0 ms) is an error sample, not a crash', async () => {
    const reply = JSON.stringify({
      schema: 'rightsizer.run-result/v1',
      status: 'ok',
      makespanMs: 0,
      workers: [{ totalMs: 0 }],
    });
    const { sample } = await new ExecBackend(engine('reply.mjs', reply), platform).runStage(request());
    expect(SampleSchema.safeParse(sample).success).toBe(true);
    expect(sample.status).toBe('error');
    expect(sample.error).toBe(
      'the engine\'s reply does not make a valid sample: makespanMs: must be at least 0.001 ms when status is "ok" (got 0)',
    );
  });
});

describe('ExecBackend: stopping the process group', () => {
  it('kills a hung engine and its grandchild at the timeout, and records a timeout', async () => {
    const file = join(dir, 'pids.json');
    const backend = new ExecBackend(engine('hang.mjs', file), platform, fast);
    const started = Date.now();
    const { sample } = await backend.runStage(request({ timeoutMs: 600 }));
    // The timeout, then the grace the grandchild spent ignoring SIGTERM, then SIGKILL.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600 + 200);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(sample).toMatchObject({ status: 'timeout', timeoutMs: 600, makespanMs: null, workers: [] });
    expect(sample.error).toMatch(/no reply within 600 ms.*working on it/s);
    const { leader, grandchild } = await readJson<{ leader: number; grandchild: number }>(file);
    expect(running(leader)).toBe(false);
    // It ignored SIGTERM, so only the group's SIGKILL after the grace stopped it.
    expect(running(grandchild)).toBe(false);
  });

  it('stops what a finished engine left behind in its group', async () => {
    const file = join(dir, 'pids.json');
    const { sample } = await new ExecBackend(engine('orphan.mjs', file), platform, fast).runStage(request());
    expect(sample.status).toBe('ok');
    const { grandchild } = await readJson<{ leader: number; grandchild: number }>(file);
    expect(running(grandchild)).toBe(false);
  });

  it('kills the group on abort and rejects with the abort reason', async () => {
    const file = join(dir, 'pids.json');
    const backend = new ExecBackend(engine('hang.mjs', file), platform, fast);
    const controller = new AbortController();
    const run = backend.runStage(request(), controller.signal);
    await untilWritten(file);
    controller.abort(new Error('user stopped'));
    await expect(run).rejects.toThrow('user stopped');
    const { leader, grandchild } = await readJson<{ leader: number; grandchild: number }>(file);
    expect(running(leader)).toBe(false);
    expect(running(grandchild)).toBe(false);
    await expect(backend.runStage(request(), controller.signal)).rejects.toThrow('user stopped');
  });

  it('close() stops engines in flight', async () => {
    const file = join(dir, 'pids.json');
    const backend = new ExecBackend(engine('hang.mjs', file), platform, fast);
    const run = backend.runStage(request());
    await untilWritten(file);
    await backend.close();
    await expect(run).rejects.toThrow(/closed/);
    const { grandchild } = await readJson<{ leader: number; grandchild: number }>(file);
    expect(running(grandchild)).toBe(false);
  });
});

describe('ExecBackend: commands that cannot run', () => {
  it('a missing program is bad input (exit 2) naming --exec and the command', async () => {
    const backend = new ExecBackend('no-such-engine-rightsizer --flag', platform);
    const err: unknown = await backend.runStage(request()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RightsizerError);
    expect((err as RightsizerError).exitCode).toBe(2);
    expect((err as RightsizerError).message).toContain('--exec "no-such-engine-rightsizer --flag"');
    expect((err as RightsizerError).message).toContain('no such program');
  });

  it('a missing working directory says so', async () => {
    const backend = new ExecBackend(engine('echo.mjs', 'x'), platform, { cwd: join(dir, 'nope') });
    await expect(backend.runStage(request())).rejects.toThrow(/working directory .*nope does not exist/);
  });

  it('an empty or badly quoted command is refused at once', () => {
    expect(() => new ExecBackend('  ', platform)).toThrow(/--exec needs a command/);
    expect(() => new ExecBackend(`engine 'open`, platform)).toThrow(/--exec "engine 'open": unterminated/);
    expect(() => new ExecBackend('engine | tee log', platform)).toThrow(RightsizerError);
  });
});
