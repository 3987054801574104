import { describe, expect, it } from 'vitest';
import { parseObjective, selectCandidate, type Candidate } from '../../src/optimizer/index.js';

const c = (latencyMs: number, costUSD: number, extra: Partial<Candidate> = {}): Candidate => ({
  latencyMs,
  latencyLogSd: 0,
  costUSD,
  costLogSd: 0,
  workers: 1,
  memoryMB: 1024,
  ...extra,
});
const front = [c(10, 8), c(20, 4), c(40, 2), c(80, 1)];

describe('selectCandidate: objectives', () => {
  it('cost, latency and balanced pick from the front', () => {
    expect(selectCandidate(front, parseObjective('cost')).index).toBe(3);
    expect(selectCandidate(front, parseObjective('latency')).index).toBe(0);
    expect(selectCandidate(front, parseObjective('balanced:1')).index).toBe(3);
    expect(selectCandidate(front, parseObjective('balanced:0')).index).toBe(0);
    // W·C/minC + (1−W)·L/minL at W = 0.5: 4.5, 3, 3, 4.5 → tie of 20/4 and 40/2 → the cheaper
    expect(selectCandidate(front, parseObjective('balanced:0.5')).index).toBe(2);
  });

  it('balanced:1 is cost and balanced:0 latency, ties included', () => {
    // Two configs of the same cost within the tie band: cost takes the faster one.
    const tied = [c(30, 1.002, { workers: 2 }), c(20, 1, { workers: 4 }), c(10, 3)];
    expect(selectCandidate(tied, parseObjective('cost')).index).toBe(1);
    expect(selectCandidate(tied, parseObjective('balanced:1')).index).toBe(1);
    const fast = [c(10, 3, { workers: 2 }), c(10.02, 2, { workers: 4 }), c(30, 1)];
    expect(selectCandidate(fast, parseObjective('latency')).index).toBe(1);
    expect(selectCandidate(fast, parseObjective('balanced:0')).index).toBe(1);
  });

  it('deadline: cheapest meeting it; budget: fastest within it', () => {
    const d = selectCandidate(front, parseObjective('deadline:45ms'));
    expect(d.index).toBe(2);
    expect(d.feasible).toBe(true);
    expect(d.confidence).toBe(1);
    const b = selectCandidate(front, parseObjective('budget:5'));
    expect(b.index).toBe(1);
    expect(b.feasible).toBe(true);
  });

  it('infeasible: the closest plan and the miss', () => {
    const d = selectCandidate(front, parseObjective('deadline:5ms'));
    expect(d.feasible).toBe(false);
    expect(d.index).toBe(0);
    expect(d.miss).toEqual({ latencyMs: 5 });
    expect(d.alternative).toBeUndefined(); // the closest plan's chance is 0: nothing is offered
    const b = selectCandidate(front, parseObjective('budget:0.5'));
    expect(b.feasible).toBe(false);
    expect(b.index).toBe(3);
    expect(b.miss).toEqual({ costUSD: 0.5 });
  });
});

describe('selectCandidate: uncertainty', () => {
  it('a deadline uses the upper bound: a point estimate that meets D with a bound that does not is rejected', () => {
    const risky = c(50, 1, { latencyLogSd: 0.3 }); // bound at 90 %: 50·e^(1.2816·0.3) ≈ 73.4
    const safe = c(54, 2, { latencyLogSd: 0.01 });
    const o = parseObjective('deadline:55ms');
    const pick = selectCandidate([risky, safe], o);
    expect(pick.index).toBe(1);
    expect(pick.confidence).toBeGreaterThanOrEqual(0.9);
    // at confidence 0.5 the bound is the point estimate, and the cheaper plan meets it
    expect(selectCandidate([risky, safe], o, { confidence: 0.5 }).index).toBe(0);
    // when only the risky one exists it is infeasible, with its miss measured on the bound
    const only = selectCandidate([risky], o);
    expect(only.feasible).toBe(false);
    expect((only.miss as { latencyMs: number }).latencyMs).toBeCloseTo(
      50 * Math.exp(1.2815516 * 0.3) - 55,
      3,
    );
    expect(only.confidence).toBeLessThan(0.9);
  });

  it('infeasible: the closest plan is the likeliest to meet the bound, not the one with the tightest bound', () => {
    const o = parseObjective('deadline:100ms');
    const measured = c(105, 2, { latencyLogSd: 0.01 }); // bound ≈ 106.4, P ≈ 0
    const guess = c(80, 5, { latencyLogSd: 0.5 }); // bound ≈ 152, P = Φ(ln 1.25 / 0.5) ≈ 67 %
    const pick = selectCandidate([measured, guess], o);
    expect(pick.feasible).toBe(false);
    expect(pick.index).toBe(1);
    expect(pick.confidence).toBeCloseTo(0.672, 2);
    expect((pick.miss as { latencyMs: number }).latencyMs).toBeCloseTo(
      80 * Math.exp(1.2815516 * 0.5) - 100,
      3,
    );
    // never one predicted slower, however unsure (its chance tends to ½ as σ grows)
    const slowGuess = c(300, 5, { latencyLogSd: 2 }); // P ≈ 29 %, predicted 3× over
    const nearMiss = c(110, 2, { latencyLogSd: 0.05 }); // P ≈ 3 %
    expect(selectCandidate([nearMiss, slowGuess], o).index).toBe(0);
    // equally likely (both sure to miss): the tighter bound
    expect(
      selectCandidate([c(300, 1, { latencyLogSd: 0.01 }), c(200, 9, { latencyLogSd: 0.01 })], o).index,
    ).toBe(1);
    // budget alike
    const b = parseObjective('budget:1');
    const sure = c(10, 1.05, { costLogSd: 0.01 });
    const unsure = c(20, 0.8, { costLogSd: 0.4 });
    expect(selectCandidate([sure, unsure], b).index).toBe(1);
    // …but never one predicted dearer, however unsure: P(3 ≤ 1 at σ 2) ≈ 29 % against ≈ 0
    expect(selectCandidate([sure, c(5, 3, { costLogSd: 2 })], b).index).toBe(0);
  });

  it('infeasible: a much cheaper plan about as likely to meet the bound is offered beside the closest', () => {
    const o = parseObjective('deadline:100ms');
    // P(L ≤ 100): Φ(ln(100/120)/0.2) ≈ 18.2 %, Φ(ln(100/115)/0.2) ≈ 24.2 %, Φ(ln(100/118)/0.2) ≈ 20.4 %
    const closest = c(115, 9, { latencyLogSd: 0.2 });
    const cheap = c(118, 3, { latencyLogSd: 0.2 }); // 3.8 points less likely, a third of the cost
    const cheaper = c(120, 1, { latencyLogSd: 0.2 }); // 6 points less likely: too far
    const pick = selectCandidate([closest, cheap, cheaper], o);
    expect(pick.feasible).toBe(false);
    expect(pick.index).toBe(0);
    expect(pick.alternative?.index).toBe(1);
    expect(pick.alternative!.confidence).toBeCloseTo(0.204, 3);
    // the closest plan alone, or as cheap as anything that near it: no alternative
    expect(selectCandidate([closest, cheaper], o).alternative).toBeUndefined();
    expect(selectCandidate([closest, c(116, 9, { latencyLogSd: 0.2 })], o).alternative).toBeUndefined();
    // the closest plan all but sure to miss (≈ 2 %): none
    const far = parseObjective('deadline:75ms');
    expect(selectCandidate([closest, cheap, cheaper], far).alternative).toBeUndefined();
    // a feasible plan has none
    expect(selectCandidate([closest, cheap], parseObjective('deadline:200ms')).alternative).toBeUndefined();
    // budget: the fastest about as likely to stay within it
    const b = parseObjective('budget:1');
    const cheapest = c(100, 1.1, { costLogSd: 0.2 });
    const faster = c(40, 1.13, { costLogSd: 0.2 });
    const bp = selectCandidate([cheapest, faster], b);
    expect(bp.feasible).toBe(false);
    expect([bp.index, bp.alternative?.index]).toEqual([0, 1]);
  });

  it('a budget uses the upper bound of the cost', () => {
    const risky = c(10, 0.9, { costLogSd: 0.5 });
    const safe = c(20, 0.95, { costLogSd: 0 });
    expect(selectCandidate([risky, safe], parseObjective('budget:1')).index).toBe(1);
  });

  it('never trades a known config for one predicted better by less than its own uncertainty', () => {
    const known = c(100, 1.0, { latencyLogSd: 0.02 });
    const guess = c(100, 0.9, { latencyLogSd: 0.02, costLogSd: 0.3 }); // 10 % cheaper, ±30 %
    expect(selectCandidate([known, guess], parseObjective('cost')).index).toBe(0);
    expect(selectCandidate([known, guess], parseObjective('cost'), { riskK: 0 }).index).toBe(1);
  });
});

describe('selectCandidate: ties within 0.5 %', () => {
  it('prefer the better other objective', () => {
    const a = c(100, 1.0);
    const b = c(50, 1.004);
    expect(selectCandidate([a, b], parseObjective('cost')).index).toBe(1);
    expect(selectCandidate([c(100, 1), c(100.4, 0.5)], parseObjective('latency')).index).toBe(1);
  });

  it('then fewer workers, then less memory', () => {
    const a = c(100, 1, { workers: 8, memoryMB: 512 });
    const b = c(100.2, 1.002, { workers: 4, memoryMB: 2048 });
    const d = c(100.1, 1.001, { workers: 4, memoryMB: 1024 });
    expect(selectCandidate([a, b, d], parseObjective('cost')).index).toBe(2);
    expect(selectCandidate([a, b, d], parseObjective('latency')).index).toBe(2);
  });

  it('outside 0.5 % the objective decides alone', () => {
    const a = c(100, 1.0, { workers: 9 });
    const b = c(10, 1.01, { workers: 1 });
    expect(selectCandidate([a, b], parseObjective('cost')).index).toBe(0);
  });
});
