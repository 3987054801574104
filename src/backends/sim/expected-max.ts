/**
 * The expected slowest worker: E[max of n i.i.d. X], X = ρ·C + S, where C = exp(σc·Z) is a
 * cold start relative to its median and S = exp(σs·Z' − σs²/2) a worker's straggler factor
 * (mean one), ρ = median cold start / mean worker time. A worker's finish time is
 * coldStart + workerTime·S, so a wave of n workers lasts workerTime · E[max(ρC + S)].
 *
 * Computed, not sampled, so the truth is exact to ~1e-4 and deterministic:
 *   E[max] = ∫₀^∞ 1 − F(x)ⁿ dx                        (order statistics, X ≥ 0)
 *   1 − F(x) = E_C[ P(S > x − ρC) ]                     (trapezoid over Z on [−8, 8])
 * on a log grid of x per ρ, tabulated over ρ ∈ [1e-5, 1e5] (log-log interpolation between) and
 * built lazily per n, cached per (σc, σs).
 */
import { normalUpperTail } from './noise.js';

const RHO_MIN_LOG10 = -5;
const RHO_MAX_LOG10 = 5;
const RHO_STEPS_PER_DECADE = 10;
const RHO_POINTS = (RHO_MAX_LOG10 - RHO_MIN_LOG10) * RHO_STEPS_PER_DECADE + 1;
const X_POINTS = 400;
const Z_STEP = 0.05;
const Z_MAX = 8;
/** Straggler spreads below this are treated as this: a step-function CDF would defeat the quadrature. */
const MIN_LOG_SD = 0.005;

interface Table {
  /** Per ρ: x grid (log-spaced) and ln F(x) on it. */
  xs: Float64Array[];
  logF: Float64Array[];
  lo: Float64Array;
  byN: Map<number, Float64Array>;
}

const tables = new Map<string, Table>();

function zNodes(sd: number): { z: number[]; w: number[] } {
  if (sd === 0) return { z: [0], w: [1] };
  const z: number[] = [];
  const w: number[] = [];
  let sum = 0;
  for (let v = -Z_MAX; v <= Z_MAX + 1e-9; v += Z_STEP) {
    const weight = Math.exp(-0.5 * v * v);
    z.push(v);
    w.push(weight);
    sum += weight;
  }
  return { z, w: w.map((x) => x / sum) };
}

/** Rare stragglers: a share of the workers `slowdown` times slower (the scenario's noise). */
export interface RareStragglers {
  share: number;
  slowdown: number;
}

const NONE: RareStragglers = { share: 0, slowdown: 1 };

function buildTable(sdCold: number, sdStrag: number, rare: RareStragglers): Table {
  const ss = Math.max(sdStrag, MIN_LOG_SD);
  const nodes = zNodes(sdCold);
  const cold = nodes.z.map((z) => Math.exp(sdCold * z));
  const xs: Float64Array[] = [];
  const logF: Float64Array[] = [];
  const lo = new Float64Array(RHO_POINTS);
  const mean = 1 - rare.share + rare.share * rare.slowdown;
  const half = (ss * ss) / 2;
  for (let r = 0; r < RHO_POINTS; r++) {
    const rho = 10 ** (RHO_MIN_LOG10 + r / RHO_STEPS_PER_DECADE);
    const xLo = 0.5 * (rho * Math.exp(-7 * sdCold) + Math.exp(-7 * ss - (ss * ss) / 2));
    const xHi = 2 * (rho * Math.exp(8 * sdCold) + rare.slowdown * Math.exp(8 * ss));
    const x = new Float64Array(X_POINTS);
    const lf = new Float64Array(X_POINTS);
    const step = Math.log(xHi / xLo) / (X_POINTS - 1);
    for (let i = 0; i < X_POINTS; i++) {
      const xi = xLo * Math.exp(i * step);
      let q = 0;
      for (let j = 0; j < cold.length; j++) {
        const y = xi - rho * cold[j]!;
        // S = L·M/E[M]: L mean-one lognormal, M the slowdown of a rare straggler (else 1).
        if (y <= 0) q += nodes.w[j]!;
        else {
          let tail = normalUpperTail((Math.log(y * mean) + half) / ss);
          if (rare.share > 0)
            tail =
              (1 - rare.share) * tail +
              rare.share * normalUpperTail((Math.log((y * mean) / rare.slowdown) + half) / ss);
          q += nodes.w[j]! * tail;
        }
      }
      x[i] = xi;
      lf[i] = Math.log1p(-Math.min(q, 1 - 1e-300));
    }
    xs.push(x);
    logF.push(lf);
    lo[r] = xLo;
  }
  return { xs, logF, lo, byN: new Map() };
}

function tableFor(sdCold: number, sdStrag: number, rare: RareStragglers): Table {
  const key = `${sdCold}|${sdStrag}|${rare.share}|${rare.slowdown}`;
  let t = tables.get(key);
  if (!t) {
    t = buildTable(sdCold, sdStrag, rare);
    tables.set(key, t);
  }
  return t;
}

function curveForN(t: Table, n: number): Float64Array {
  let c = t.byN.get(n);
  if (c) return c;
  c = new Float64Array(RHO_POINTS);
  for (let r = 0; r < RHO_POINTS; r++) {
    const x = t.xs[r]!;
    const lf = t.logF[r]!;
    // Trapezoid in x of 1 − F(x)^n; below the grid's start 1 − F^n is 1 to within 1e-12.
    let integral = t.lo[r]!;
    let prev = 1 - Math.exp(n * lf[0]!);
    for (let i = 1; i < X_POINTS; i++) {
      const cur = 1 - Math.exp(n * lf[i]!);
      integral += 0.5 * (prev + cur) * (x[i]! - x[i - 1]!);
      prev = cur;
    }
    c[r] = integral;
  }
  t.byN.set(n, c);
  return c;
}

/** E[max over n workers of (ρ·C + S)]; see the file comment. */
export function expectedMaxFactor(
  n: number,
  rho: number,
  sdCold: number,
  sdStrag: number,
  rare: RareStragglers = NONE,
): number {
  if (n < 1) return 0;
  const curve = curveForN(tableFor(sdCold, sdStrag, rare), Math.round(n));
  const pos = (Math.log10(Math.max(rho, 1e-300)) - RHO_MIN_LOG10) * RHO_STEPS_PER_DECADE;
  if (pos <= 0) return curve[0]!;
  if (pos >= RHO_POINTS - 1) {
    // Cold start dominates: E[max] grows in proportion to ρ.
    const last = curve[RHO_POINTS - 1]!;
    return last * (rho / 10 ** RHO_MAX_LOG10);
  }
  const i = Math.floor(pos);
  const f = pos - i;
  const a = Math.log(curve[i]!);
  const b = Math.log(curve[i + 1]!);
  return Math.exp(a + f * (b - a));
}
