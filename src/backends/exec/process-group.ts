/**
 * Signalling and watching a whole process group: the engine runs as the leader of its own
 * group (spawned detached), so killing the group also reaches the workers it spawned.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Sends `signal` to every process of group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // EPERM: a member changed its user id; it exists, and there is nothing more we can do to it.
    if (code === 'EPERM') return true;
    throw e;
  }
}

/**
 * Whether any process of the group still runs. A killed process whose parent already died
 * stays a zombie until init reaps it — lazily, in some containers — and a zombie still
 * receives signals, so on Linux the group counts as gone once only zombies are left.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true; // No /proc (macOS): the signal test is all there is.
  }
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return false;
}

/** Fields of /proc/PID/stat after the command name, which may itself hold spaces and parentheses. */
function readStat(pid: string): { state: string; pgrp: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // Exited while we looked.
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  return state === undefined || !Number.isFinite(pgrp) ? null : { state, pgrp };
}

const POLL_MS = 10;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops the group: SIGTERM, up to `graceMs` for it to go, then SIGKILL and a short wait for the
 * kernel to finish the job. Returns at once when the group is already gone.
 */
export async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  const termDeadline = Date.now() + graceMs;
  while (Date.now() < termDeadline) {
    await sleep(POLL_MS);
    if (!groupAlive(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
  // SIGKILL cannot be caught, but dying is not instant (a process in uninterruptible I/O).
  const killDeadline = Date.now() + 1000;
  while (groupAlive(pgid) && Date.now() < killDeadline) await sleep(POLL_MS);
}
