/**
 * What outlives a SIGKILL of rightsizer: the exec engines and the Lithops bridge run detached
 * (their own process groups, and Lithops' localhost calls their own sessions), and nothing of
 * rightsizer runs after its own SIGKILL to stop them. So a guard does: one small Node process per
 * rightsizer process, started on first need, told over IPC which process groups and
 * environment markers are live; when its channel closes — rightsizer exited, however — it
 * SIGKILLs the groups still listed and every process carrying a listed marker, then exits.
 * (The local backend's workers watch their parent themselves: worker-runtime.ts.)
 */
import { spawn, type ChildProcess } from 'node:child_process';

type GuardMessage = { op: 'add' | 'remove'; group: number } | { op: 'add' | 'remove'; marker: string };

/** Runs in the guard: plain JS, no imports of ours (it is started with `node -e`). */
const GUARD_SOURCE = `
const fs = require('node:fs');
const groups = new Set();
const markers = new Set();
process.on('message', (m) => {
  const set = m.group !== undefined ? groups : markers;
  const key = m.group !== undefined ? m.group : m.marker;
  if (m.op === 'add') set.add(key); else set.delete(key);
});
process.on('disconnect', () => {
  for (const g of groups) { try { process.kill(-g, 'SIGKILL'); } catch {} }
  // Sweeps until one kills nothing: a process forked while its parent was being killed is next.
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let round = 0; markers.size > 0 && round < 20; round++) {
    let pids = [];
    try { pids = fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p)); } catch {}
    let killed = 0;
    for (const pid of pids) {
      if (Number(pid) === process.pid) continue;
      let env;
      let state;
      try {
        env = fs.readFileSync('/proc/' + pid + '/environ', 'latin1').split('\\0');
        const stat = fs.readFileSync('/proc/' + pid + '/stat', 'latin1');
        state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      } catch { continue; }
      if (state === 'Z' || state === 'X' || !env.some((e) => markers.has(e))) continue;
      try { process.kill(Number(pid), 'SIGKILL'); killed++; } catch {}
    }
    if (killed === 0) break;
    Atomics.wait(pause, 0, 0, 50);
  }
  process.exit(0);
});
`;

let guard: ChildProcess | null = null;

function send(message: GuardMessage): void {
  if (!guard) {
    guard = spawn(process.execPath, ['-e', GUARD_SOURCE], {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    guard.on('error', () => undefined);
    // Neither the guard nor its channel keeps rightsizer running.
    guard.unref();
    guard.channel?.unref();
  }
  if (guard.connected) guard.send(message, () => undefined);
}

/** Kill process group `pgid` if rightsizer dies while it runs. */
export function guardGroup(pgid: number): void {
  send({ op: 'add', group: pgid });
}

export function releaseGroup(pgid: number): void {
  if (guard) send({ op: 'remove', group: pgid });
}

/** Kill every process whose environment holds `entry` (`NAME=value`) if rightsizer dies. */
export function guardMarker(entry: string): void {
  send({ op: 'add', marker: entry });
}

export function releaseMarker(entry: string): void {
  if (guard) send({ op: 'remove', marker: entry });
}
