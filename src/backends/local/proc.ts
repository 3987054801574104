/**
 * Linux /proc readings the local backend needs without cgroups: a process's resident memory
 * (VmRSS, and its high-water mark VmHWM, which count Buffers and typed arrays that a V8 heap
 * limit does not), the members of a process group, and a process's start time (to tell a live
 * owner from a recycled pid).
 */
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcMemory {
  rssKB: number;
  hwmKB: number;
}

export function readProcMemory(pid: number): ProcMemory | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return { rssKB: field('VmRSS'), hwmKB: field('VmHWM') };
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  return close < 0 ? null : text.slice(close + 2).split(' ');
}

/** Clock ticks since boot when the process started (field 22 of /proc/<pid>/stat); null if gone. */
export function processStartTime(pid: number): string | null {
  // After the name, field 3 (state) is index 0, so field 22 is index 19.
  return statFields(pid)?.[19] ?? null;
}

/** Pids whose process group is `pgid` (field 5 of /proc/<pid>/stat), zombies excluded. */
export function processGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const f = statFields(Number(e));
    if (f && f[0] !== 'Z' && Number(f[2]) === pgid) out.push(Number(e));
  }
  return out;
}

export function isAlive(pid: number): boolean {
  const f = statFields(pid);
  return f !== null && f[0] !== 'Z';
}
