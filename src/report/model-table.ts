/** A trained model as a person reads it: per stage and phase, the family chosen and every family tried. */
import Table from 'cli-table3';
import pc from 'picocolors';
import type { StageModelSummary } from '../core/types.js';
import { count } from './format.js';

const pct = (e: number | null) => (e == null ? 'n/a' : `${(e * 100).toFixed(1)} %`);

function formatParams(params: Record<string, number>): string {
  return Object.entries(params)
    .map(
      ([k, v]) =>
        `${k}=${Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : Number(v.toPrecision(4))}`,
    )
    .join(' ');
}

export function renderModel(m: StageModelSummary): string {
  const lines = [
    pc.bold(`Stage ${m.stage}`) +
      ` — ${count(m.configs, 'config')}, ${count(m.runs, 'run')}; makespan cv error ${pct(m.cvError)}` +
      (m.excluded.error + m.excluded.timeout > 0
        ? `; left out: ${m.excluded.error} error, ${m.excluded.timeout} timeout`
        : ''),
  ];
  if (m.memoryFloor)
    lines.push(
      `  memory floor: ${m.memoryFloor.baseMB.toFixed(0)} MB + ${m.memoryFloor.mbPerPartitionMB.toFixed(3)} MB per MB of partition (learned from oom runs and the peak memory workers reported)`,
    );
  const table = new Table({
    head: ['phase', 'family', 'parameters', 'cv error', 'families tried (cv error)'],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [11, 14, 44, 10, 30],
  });
  for (const p of m.phases)
    table.push([
      p.phase,
      p.family,
      formatParams(p.params),
      pct(p.cvError),
      // One family a line: wrapped mid-list, "1.8 %" broke from its family and its "%".
      p.tried
        .map((t) =>
          // The stage's own count of configs is in the header: the column keeps to what differs.
          t.needsConfigs !== undefined
            ? `${t.family}: needs ${t.needsConfigs} configs`
            : `${t.family} ${pct(t.cvError)}${t.note ? ` (${t.note})` : ''}`,
        )
        .join('\n'),
    ]);
  lines.push(table.toString());
  for (const n of m.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

/** How `auto` chose, for the reader who compares the errors shown. */
export const SELECTION_NOTE =
  'cv error: the median |predicted / measured − 1| over leave-one-config-out folds. auto ranks families by the mean |ln error| instead, ' +
  'averaged with its mean over the folds that held out the most workers or the least memory (where the optimizer extrapolates), ' +
  'and a later family must beat an earlier one by 2 %; so the family chosen need not have the least median error. ' +
  "The chosen compute family's error is refitted with its garbage-collection term.";
