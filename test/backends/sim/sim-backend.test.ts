import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backends/registry.js';
import {
  SimBackend,
  parseScenarioDocument,
  loadScenarioFile,
  truthAt,
} from '../../../src/backends/sim/index.js';
import { RightsizerError } from '../../../src/core/errors.js';
import { PlatformRegistry } from '../../../src/platforms/index.js';
import { validateWorkflow } from '../../../src/store/index.js';
import { stageByName } from '../../../bench/stages.js';

const platform = new PlatformRegistry().get('aws-lambda-x86');
const scenario = stageByName('parse-csv').scenario;
const dir = mkdtempSync(join(tmpdir(), 'rightsizer-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const request = (rep: number) => ({
  runId: `r${rep}`,
  workflow: 'w',
  stage: { name: 'parse' },
  config: { workers: 20, memoryMB: 1024, vcpu: 1024 / 1769 },
  inputBytes: null,
  rep,
  timeoutMs: 900_000,
  seed: 3,
});

describe('scenario files', () => {
  it('reads one scenario, or a map of stage name → scenario (names default to the stage)', () => {
    const one = parseScenarioDocument({ ...scenario }, 'one.yaml');
    expect([...one.keys()]).toEqual(['parse-csv']);
    const { name: _n, ...rest } = scenario;
    const map = parseScenarioDocument(
      { schema: 'rightsizer.sim-scenario/v1', stages: { parse: rest, merge: { ...rest, seed: 9 } } },
      'm.yaml',
    );
    expect([...map.keys()]).toEqual(['parse', 'merge']);
    expect(map.get('merge')!.name).toBe('merge');
  });

  it('names the field that is wrong', () => {
    expect(() => parseScenarioDocument({ stages: { parse: { seed: 1 } } }, 'bad.yaml')).toThrow(
      /bad.yaml: stages.parse: .*inputBytes/,
    );
  });

  it('loads YAML from a file', () => {
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify({ stages: { parse: scenario } }));
    expect(loadScenarioFile(file).get('parse')!.seed).toBe(scenario.seed);
  });
});

describe('SimBackend', () => {
  const backend = new SimBackend({ platform, scenarios: new Map([['parse', scenario]]), seed: 5 });

  it('runs are deterministic per (config, rep, seed) and carry the request runId', async () => {
    const a = await backend.runStage(request(0));
    const b = await backend.runStage(request(0));
    const c = await backend.runStage(request(1));
    expect(a.sample).toEqual(b.sample);
    expect(a.sample.runId).toBe('r0');
    expect(a.sample.status).toBe('ok');
    expect(c.sample.makespanMs).not.toBe(a.sample.makespanMs);
    expect(a.outputKeys).toHaveLength(20);
  });

  it('exposes the noise-free truth, and runs scatter around it', async () => {
    const cfg = { workers: 20, memoryMB: 1024 };
    const t = backend.truth('parse', cfg);
    expect(t.makespanMs).toBeCloseTo(truthAt(scenario, platform, cfg).makespanMs, 6);
    const runs = await Promise.all(Array.from({ length: 40 }, (_, rep) => backend.runStage(request(rep))));
    const mean = runs.reduce((s, r) => s + r.sample.makespanMs!, 0) / runs.length;
    expect(Math.abs(mean / t.makespanMs - 1)).toBeLessThan(0.08);
  });

  it('scales the input when asked (input fraction)', async () => {
    const r = await backend.runStage({ ...request(0), inputBytes: scenario.inputBytes / 10 });
    expect(r.sample.inputBytes).toBe(scenario.inputBytes / 10);
  });

  it('refuses a stage without a scenario when the file has several', () => {
    const two = new SimBackend({
      platform,
      scenarios: new Map([
        ['a', scenario],
        ['b', scenario],
      ]),
    });
    expect(() => two.scenarioOf('c')).toThrow(/no scenario for stage "c"/);
  });
});

describe('backend registry', () => {
  const workflow = validateWorkflow(
    { name: 'w', stages: [{ name: 'parse' }] },
    { source: 'w', baseDir: dir },
  );
  it('makes a sim backend from a scenario file', () => {
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify({ stages: { parse: scenario } }));
    expect(createBackend('sim', { platform, workflow, scenario: file }).name).toBe('sim');
  });
  it('lists the valid names for an unknown one (exit 2)', () => {
    try {
      createBackend('lambda', { platform, workflow });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RightsizerError);
      expect((e as RightsizerError).exitCode).toBe(2);
      expect((e as RightsizerError).oneLine()).toMatch(/local, exec, sim/);
    }
  });
});
