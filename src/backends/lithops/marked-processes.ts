/**
 * Finds and kills processes by a marker in their environment. Lithops' localhost backend starts
 * each call in a session of its own (`start_new_session`), out of the bridge's process group, so
 * killing the group misses them when the bridge dies; but they inherit its environment, which
 * carries `RIGHTSIZER_LITHOPS_BRIDGE=<id>`. Linux only (/proc); elsewhere this finds nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const MARKER_VAR = 'RIGHTSIZER_LITHOPS_BRIDGE';

/** Live (not zombie) processes whose environment holds `name=marker` (by default the bridge's variable). */
export function markedProcesses(marker: string, name: string = MARKER_VAR): number[] {
  const needle = `${name}=${marker}`;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const pid of entries) {
    if (Number(pid) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state !== 'Z' && state !== 'X') found.push(Number(pid));
    } catch {
      // Exited while we looked, or not ours to read.
    }
  }
  return found;
}

/** SIGKILLs every marked process; returns how many there were. */
export function killMarked(marker: string): number {
  const pids = markedProcesses(marker);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  return pids.length;
}

/**
 * Kills marked processes until a sweep finds none (at most `rounds` sweeps, `pauseMs` apart): a
 * process forked while the previous sweep listed and killed its parent is caught by the next.
 */
export async function sweepMarked(marker: string, rounds = 20, pauseMs = 50): Promise<number> {
  let total = 0;
  for (let i = 0; i < rounds; i++) {
    const n = killMarked(marker);
    total += n;
    if (n === 0) break;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return total;
}
