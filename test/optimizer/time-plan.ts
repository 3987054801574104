/**
 * Planning time by hand (not a test): a 10-stage DAG over the whole AWS Lambda space with a
 * parametric model whose predict costs ~1 µs. Run: npx tsx test/optimizer/time-plan.ts
 * Reports wall time and this process's CPU time (the wall time on an idle machine; other jobs on
 * the same cores inflate the wall time).
 */
import { PlatformSchema, type StageDef } from '../../src/core/types.js';
import { planWorkflow } from '../../src/optimizer/index.js';
import { parseObjective } from '../../src/optimizer/objective.js';
import { CATALOG } from '../../src/platforms/index.js';
import { parametricModel } from './fake-model.js';

const platform = PlatformSchema.parse(CATALOG.find((p) => p.id === 'aws-lambda-x86'));
// split → (a1 → a2) ‖ (b1 → b2) ‖ c1 → join → (d1 ‖ d2) → image (maxWorkers 1)
const defs: StageDef[] = [
  { name: 'split' },
  { name: 'a1', dependsOn: ['split'] },
  { name: 'a2', dependsOn: ['a1'] },
  { name: 'b1', dependsOn: ['split'] },
  { name: 'b2', dependsOn: ['b1'] },
  { name: 'c1', dependsOn: ['split'] },
  { name: 'join', dependsOn: ['a2', 'b2', 'c1'] },
  { name: 'd1', dependsOn: ['join'] },
  { name: 'd2', dependsOn: ['join'] },
  { name: 'image', dependsOn: ['d1', 'd2'], maxWorkers: 1 },
];
const stages = defs.map((def, i) => ({
  def,
  model: parametricModel({
    stage: def.name,
    workMs: 50_000 * (i + 1),
    floorMB: 200 + 97 * i,
    logSd: 0.05 + 0.02 * i,
  }),
  inputBytes: 1e9,
}));
for (const text of ['cost', 'latency', 'balanced:0.5', 'deadline:60s', 'budget:0.05']) {
  const objective = parseObjective(text);
  const wall: number[] = [];
  const cpu: number[] = [];
  let notes: string[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    notes = planWorkflow({ workflow: 'bench', platform, stages, dag: true, objective }).notes;
    const c1 = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c1.user + c1.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    `${text.padEnd(14)} wall median ${wall[2]!.toFixed(0)} ms (min ${wall[0]!.toFixed(0)}), cpu median ${cpu[2]!.toFixed(0)} ms (min ${cpu[0]!.toFixed(0)})`,
  );
  if (text === 'cost') for (const n of notes) console.log(`  ${n}`);
}
