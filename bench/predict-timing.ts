/**
 * `npx tsx bench/predict-timing.ts [--snapshot FILE] [--check FILE]` — time of one
 * `model.predict` call (CPU time, so a loaded machine counts less) on the fitted bench stages (trials 0–1), and a snapshot of the predictions
 * at fixed configs so a speed-up can be checked to give the same numbers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PlatformRegistry } from '../src/platforms/index.js';
import { resolveVcpu } from '../src/platforms/resources.js';
import { BenchContext } from './lib/context.js';
import { STAGES } from './stages.js';

const args = process.argv.slice(2);
const snapshotOut = args.includes('--snapshot') ? args[args.indexOf('--snapshot') + 1] : undefined;
const checkIn = args.includes('--check') ? args[args.indexOf('--check') + 1] : undefined;

const platform = new PlatformRegistry().get('aws-lambda-x86');
const ctx = new BenchContext(platform, STAGES, 2);
const configs: { workers: number; memoryMB: number; vcpu: number }[] = [];
let seed = 12345;
const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
for (let i = 0; i < 4096; i++) {
  const workers = 1 + Math.floor(rnd() * 1000);
  const memoryMB = 128 + Math.floor(rnd() * (10_240 - 128));
  configs.push({ workers, memoryMB, vcpu: resolveVcpu(platform, memoryMB) });
}
const snapshot: Record<string, unknown[]> = {};
let worstDiff = 0;
const expected = checkIn ? (JSON.parse(readFileSync(checkIn, 'utf8')) as Record<string, number[][]>) : null;
for (const stage of STAGES) {
  for (const trial of [0, 1]) {
    const t = ctx.trial(stage, trial);
    if (!t) continue;
    const input = stage.scenario.inputBytes;
    const name = `${stage.scenario.name}#${trial}`;
    const fam = t.model
      .describe()
      .phases.map((p) => p.family)
      .join(',');
    // Warm up, then time.
    let sink = 0;
    for (let r = 0; r < 3; r++) for (const c of configs) sink += t.model.predict(c, input).makespanMs;
    const reps = 10;
    const c0 = process.cpuUsage();
    for (let r = 0; r < reps; r++) for (const c of configs) sink += t.model.predict(c, input).makespanMs;
    const cpu = process.cpuUsage(c0);
    const us = (cpu.user + cpu.system) / (reps * configs.length);
    const rows = configs.slice(0, 256).map((c) => {
      const p = t.model.predict(c, input);
      return [
        p.makespanMs,
        p.makespanLogSd,
        p.meanLogSd,
        p.billedMs,
        p.billedLogSd,
        p.workerMs,
        p.feasible ? 1 : 0,
      ];
    });
    snapshot[name] = rows;
    let diff = 0;
    if (expected?.[name])
      rows.forEach((row, i) =>
        row.forEach((v, k) => {
          const e = expected[name]![i]![k]!;
          diff = Math.max(diff, Math.abs(v - e) / Math.max(Math.abs(e), 1e-12));
        }),
      );
    worstDiff = Math.max(worstDiff, diff);
    console.log(
      `${name.padEnd(18)} ${us.toFixed(2).padStart(7)} µs/call  [${fam}]${expected ? `  max rel diff ${diff.toExponential(2)}` : ''}${sink < 0 ? '!' : ''}`,
    );
  }
}
if (snapshotOut) writeFileSync(snapshotOut, JSON.stringify(snapshot));
if (expected) console.log(`worst relative difference from ${checkIn}: ${worstDiff.toExponential(2)}`);
