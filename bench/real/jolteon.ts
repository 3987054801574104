/**
 * Converts Jolteon's published profiles (pkusys/Jolteon, profiles/*_profile.json, NSDI'24) into
 * sample/v1 records, so the bench can run the same protocol on them as on flexecutor's.
 *
 * Jolteon's format: `{stage: {"cold"|"read"|"compute"|"write": [epoch][config index][mean, p95]}}`,
 * seconds, means and 95th percentiles over the stage's functions; the config index maps to
 * [memoryMB, functions] in the order of `get_config_pairs` in Jolteon's workflow/perf_model.py
 * (copied below as data). `cold` is the stage's wall clock minus the mean function time (so it
 * includes invocation and stragglers).
 *
 * Choices:
 * - Epoch 0 includes cold starts; epochs 1 and 2 are warm: they are the two repetitions used.
 * - Only the means are used (no synthetic noise from the p95): each record holds `functions`
 *   identical workers at the epoch's mean phases, and makespan = cold + read + compute + write,
 *   the wall clock Jolteon measured. The p95 is left out because the record's makespan already is
 *   the measured wall clock, and inventing per-worker spreads would add noise the data lacks.
 * - Stages with `allow_parallel: false` run one function whatever the config says: workers = 1,
 *   and configs that differ only in functions are further repetitions of the same memory.
 * - Billed time = the mean function time (warm: no init), on aws-lambda-x86 (Jolteon's runs).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SAMPLE_SCHEMA, type Platform, type Sample } from '../../src/core/types.js';
import { runCostUSD } from '../../src/platforms/cost.js';
import { resolveVcpu } from '../../src/platforms/resources.js';

/** Jolteon's workflow/perf_model.py `get_config_pairs`, per workflow: [memoryMB, functions]. */
const CONFIG_PAIRS: Record<string, [number, number][]> = {
  'ML-Pipeline': [
    [1024, 8],
    [1024, 16],
    [1024, 32],
    ...[1792, 3584, 5120, 6144, 7168].flatMap((m) => [4, 8, 16, 32].map((n) => [m, n] as [number, number])),
  ],
  'Video-Analytics': [1792, 3584, 5120, 6144, 7168, 8960].flatMap((m) =>
    [4, 8, 16, 32].map((n) => [m, n] as [number, number]),
  ),
  'tpcds/dsq95': [
    ...[892, 1078, 1258, 1437, 1617].flatMap((m) =>
      [16, 24, 32, 48, 64].map((n) => [m, n] as [number, number]),
    ),
    ...[8, 16, 24, 32, 48, 64].map((n) => [1792, n] as [number, number]),
  ],
};

export const JOLTEON_WORKFLOWS = [
  { name: 'ML-Pipeline', profile: 'ML-Pipeline_profile.json', workflow: 'ML-pipeline.json' },
  { name: 'Video-Analytics', profile: 'Video-Analytics_profile.json', workflow: 'Video-analytics.json' },
  { name: 'tpcds/dsq95', profile: 'tpcds-dsq95_profile.json', workflow: 'tpcds-dsq95.json' },
] as const;

const WARM_EPOCHS = [1, 2];

type Series = [number, number][][];
type Profile = Record<string, Record<'cold' | 'read' | 'compute' | 'write', Series>>;

export async function jolteonSamples(
  dir: string,
  wf: (typeof JOLTEON_WORKFLOWS)[number],
  platform: Platform,
): Promise<Sample[]> {
  const profile = JSON.parse(await readFile(join(dir, 'profiles', wf.profile), 'utf8')) as Profile;
  const workflow = JSON.parse(await readFile(join(dir, 'workflow', wf.workflow), 'utf8')) as Record<
    string,
    unknown
  >;
  const serial = new Set<string>();
  for (const v of Object.values(workflow))
    if (
      v &&
      typeof v === 'object' &&
      'stage_name' in v &&
      String((v as { allow_parallel?: unknown }).allow_parallel) === 'false'
    )
      serial.add(String((v as { stage_name: unknown }).stage_name));
  const pairs = CONFIG_PAIRS[wf.name]!;
  const out: Sample[] = [];
  for (const [stage, phases] of Object.entries(profile)) {
    const reps = new Map<string, number>();
    for (const epoch of WARM_EPOCHS) {
      pairs.forEach(([memoryMB, functions], idx) => {
        const at = (p: keyof Profile[string]): number | undefined => phases[p]?.[epoch]?.[idx]?.[0];
        const [cold, read, compute, write] = [at('cold'), at('read'), at('compute'), at('write')];
        if (cold === undefined || read === undefined || compute === undefined || write === undefined) return;
        const workers = serial.has(stage) ? 1 : functions;
        const key = `${workers}|${memoryMB}`;
        const rep = reps.get(key) ?? 0;
        reps.set(key, rep + 1);
        const totalMs = (read + compute + write) * 1000;
        const vcpu = resolveVcpu(platform, memoryMB);
        const config = { workers, memoryMB, vcpu };
        const billed = Array.from({ length: workers }, () => Math.ceil(totalMs));
        out.push({
          schema: SAMPLE_SCHEMA,
          runId: `jolteon-${wf.name}-${stage}-${epoch}-${idx}`,
          workflow: wf.name,
          stage,
          config,
          platform: platform.id,
          backend: 'jolteon',
          rep,
          status: 'ok',
          error: null,
          makespanMs: Math.max(0, (cold + read + compute + write) * 1000),
          workers: billed.map((b) => ({
            coldStartMs: cold * 1000,
            readMs: read * 1000,
            computeMs: compute * 1000,
            writeMs: write * 1000,
            totalMs,
            billedMs: b,
            cold: false,
          })),
          costUSD: runCostUSD(platform, config, billed),
        });
      });
    }
  }
  return out;
}
