/**
 * StefCal: direction-independent per-antenna complex gains by alternating least squares —
 * Salvini & Wijnholds 2014, "Fast gain calibration in radio astronomy using alternating
 * direction implicit methods: Analysis and applications", A&A 571, A97, algorithm 1.
 *
 * With the other antennas' gains held at the previous iterate, each g_p has a closed-form
 * least-squares update; from the baseline sums of normal-sums.ts:
 *   g_p ← [ Σ_{q>p} g_q A_pq + Σ_{r<p} g_r conj(A_rp) ] / [ Σ_{q≠p} |g_q|² B_pq ]
 * Every second iteration the new iterate is averaged with the previous one, which turns the
 * otherwise oscillating update into a contraction (the paper's key step). Stops when
 * ‖g_i − g_{i−1}‖ / ‖g_i‖ < tolerance. The solution is unique up to one common phase; it is
 * returned referenced to antenna 0 (g_0 real and positive).
 */

export interface StefcalOptions {
  maxIterations?: number;
  tolerance?: number;
}

export interface StefcalResult {
  re: Float64Array;
  im: Float64Array;
  iterations: number;
  converged: boolean;
}

/**
 * Solves one polarisation: `aRe/aIm/b` hold that polarisation's sums from index `offset` (one per
 * baseline, baselines given by ant1/ant2).
 */
export function stefcal(
  nAntennas: number,
  ant1: Int32Array,
  ant2: Int32Array,
  aRe: Float64Array,
  aIm: Float64Array,
  b: Float64Array,
  offset = 0,
  options: StefcalOptions = {},
): StefcalResult {
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.tolerance ?? 1e-10;
  let gRe = new Float64Array(nAntennas).fill(1);
  let gIm = new Float64Array(nAntennas);
  let nRe = new Float64Array(nAntennas);
  let nIm = new Float64Array(nAntennas);
  const numRe = new Float64Array(nAntennas);
  const numIm = new Float64Array(nAntennas);
  const den = new Float64Array(nAntennas);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    numRe.fill(0);
    numIm.fill(0);
    den.fill(0);
    for (let k = 0; k < ant1.length; k++) {
      const p = ant1[k]!;
      const q = ant2[k]!;
      const ar = aRe[offset + k]!;
      const ai = aIm[offset + k]!;
      const bb = b[offset + k]!;
      if (bb <= 0) continue;
      const pr = gRe[p]!;
      const pi = gIm[p]!;
      const qr = gRe[q]!;
      const qi = gIm[q]!;
      // p: += g_q · A;  q: += g_p · conj(A)
      numRe[p] = numRe[p]! + qr * ar - qi * ai;
      numIm[p] = numIm[p]! + qr * ai + qi * ar;
      den[p] = den[p]! + (qr * qr + qi * qi) * bb;
      numRe[q] = numRe[q]! + pr * ar + pi * ai;
      numIm[q] = numIm[q]! + pi * ar - pr * ai;
      den[q] = den[q]! + (pr * pr + pi * pi) * bb;
    }
    let diff = 0;
    let norm = 0;
    for (let a = 0; a < nAntennas; a++) {
      const d = den[a]!;
      let r = d > 0 ? numRe[a]! / d : gRe[a]!;
      let i = d > 0 ? numIm[a]! / d : gIm[a]!;
      if (iterations % 2 === 0) {
        r = 0.5 * (r + gRe[a]!);
        i = 0.5 * (i + gIm[a]!);
      }
      nRe[a] = r;
      nIm[a] = i;
      diff += (r - gRe[a]!) ** 2 + (i - gIm[a]!) ** 2;
      norm += r * r + i * i;
    }
    [gRe, nRe] = [nRe, gRe];
    [gIm, nIm] = [nIm, gIm];
    converged = norm > 0 && Math.sqrt(diff / norm) < tolerance;
  }
  referenceToAntenna0(gRe, gIm);
  return { re: gRe, im: gIm, iterations, converged };
}

/** Multiplies every gain by conj(g_0)/|g_0|, so g_0 becomes real and positive. */
export function referenceToAntenna0(re: Float64Array, im: Float64Array): void {
  const r0 = re[0]!;
  const i0 = im[0]!;
  const mag = Math.hypot(r0, i0);
  if (mag === 0) return;
  const cr = r0 / mag;
  const ci = -i0 / mag;
  for (let a = 0; a < re.length; a++) {
    const r = re[a]!;
    const i = im[a]!;
    re[a] = r * cr - i * ci;
    im[a] = r * ci + i * cr;
  }
  // Exactly real, not real to rounding.
  re[0] = mag;
  im[0] = 0;
}
