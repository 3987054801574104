import { describe, expect, it } from 'vitest';
import type { Plan, ResolvedConfig, Sample } from '../../src/core/types.js';
import type { PlanOutcome } from '../../src/pipeline/plan.js';
import { committeeApplies, disputedConfig } from '../../src/profiler/committee.js';
import { catalogPlatform } from '../optimizer/helpers.js';
import { modelFrom, prediction } from '../optimizer/fake-model.js';

const platform = catalogPlatform('aws-lambda-x86');
const cost = { kind: 'cost', percentile: null } as const;
const incumbent: ResolvedConfig = { workers: 100, memoryMB: 1769, vcpu: 1 };
const cheap: ResolvedConfig = { workers: 300, memoryMB: 531, vcpu: 531 / 1769 };

/** A member whose model bills `billedAt(config)` ms per worker and whose plan chose `choice`. */
function member(
  choice: ResolvedConfig,
  billedAt: (c: ResolvedConfig) => number,
  feasible = true,
): PlanOutcome {
  const model = modelFrom('s', (c) => prediction(billedAt(c), billedAt(c)));
  const plan = { feasible, stages: [{ stage: 's', config: choice }] } as unknown as Plan;
  return { plans: [plan], models: new Map([['s', model]]), advice: [] } as unknown as PlanOutcome;
}

// Billed GB-s: 100 × 1,769 MB × 10 s = 1,727 GB-s against 300 × 531 MB × 6 s ≈ 933: about half.
const halfAsDear = member(cheap, (c) => (c.workers === 300 ? 6_000 : 10_000));
const ran = (c: ResolvedConfig): Sample =>
  ({ stage: 's', status: 'ok', config: c, makespanMs: 5_000, workers: [] }) as unknown as Sample;

function dispute(outcomes: (PlanOutcome | null)[], samples: Sample[] = []) {
  return (
    disputedConfig({
      platform,
      def: { name: 's' },
      inputBytes: 1e9,
      objective: cost,
      incumbent,
      samples,
      outcomes,
      families: outcomes.map((_, i) => `f${i}`),
      epsilon: 0.03,
    })?.config ?? null
  );
}

describe('committee', () => {
  it('a member that finds an unmeasured config better than the incumbent by its own model disputes the stop', () => {
    expect(dispute([null, halfAsDear])).toEqual(cheap);
  });

  it('no dispute once a run measured the choice (or one near it), nor for a gain within ε', () => {
    expect(dispute([halfAsDear], [ran(cheap)])).toBeNull();
    expect(dispute([halfAsDear], [ran({ workers: 310, memoryMB: 540, vcpu: 540 / 1769 })])).toBeNull();
    // A run there that ran out of memory settles it too: the member is not asked again.
    expect(dispute([halfAsDear], [{ ...ran(cheap), status: 'oom', makespanMs: null }])).toBeNull();
    expect(dispute([halfAsDear], [ran({ workers: 400, memoryMB: 531, vcpu: 531 / 1769 })])).toEqual(cheap);
    // 300 × 531 MB for as many GB-s as the incumbent's 100 × 1,769 MB × 10 s: no better by ε.
    const alike = member(cheap, (c) => (c.workers === 300 ? (10_000 * (1769 * 100)) / (531 * 300) : 10_000));
    expect(dispute([alike])).toBeNull();
    expect(dispute([member(cheap, (c) => (c.workers === 300 ? 6_000 : 10_000), false)])).toBeNull();
  });

  it('names the member and its gain', () => {
    const d = disputedConfig({
      platform,
      def: { name: 's' },
      inputBytes: 1e9,
      objective: cost,
      incumbent,
      samples: [],
      outcomes: [null, halfAsDear],
      families: ['amdahl', 'ernest'],
      epsilon: 0.03,
    });
    expect(d?.family).toBe('ernest');
    expect(d!.gain).toBeGreaterThan(0.3);
    expect(d!.gain).toBeLessThan(0.6);
  });

  it('takes the member that improves most', () => {
    const other: ResolvedConfig = { workers: 200, memoryMB: 1024, vcpu: 1024 / 1769 };
    // 200 × 1 GB × 7.5 s = 1,500 GB-s: 13 % under the incumbent's, where `cheap` is about half.
    const slightly = member(other, (c) => (c.workers === 200 ? 7_500 : 10_000));
    expect(dispute([slightly])).toEqual(other);
    expect(dispute([slightly, halfAsDear])).toEqual(cheap);
  });

  it('applies to a cost, and to one stage alone under the other objectives but balanced', () => {
    expect(committeeApplies(cost, 4)).toBe(true);
    expect(committeeApplies({ kind: 'latency', percentile: null }, 1)).toBe(true);
    expect(committeeApplies({ kind: 'latency', percentile: null }, 3)).toBe(false);
    expect(committeeApplies({ kind: 'deadline', deadlineMs: 1000, percentile: null }, 1)).toBe(true);
    expect(committeeApplies({ kind: 'balanced', weight: 0.5, percentile: null }, 1)).toBe(false);
  });
});
