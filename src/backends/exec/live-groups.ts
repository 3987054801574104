/**
 * The process groups of engines still running. Detached groups do not get the terminal's
 * Ctrl-C and outlive rightsizer, so when rightsizer's process exits — normally, on an uncaught
 * error, or after the CLI turns SIGINT/SIGTERM into an exit — every live group gets SIGKILL.
 * After rightsizer's own SIGKILL, when nothing of it runs, the orphan guard kills them.
 */
import { guardGroup, releaseGroup } from '../orphan-guard.js';
import { signalGroup } from './process-group.js';

const live = new Set<number>();
let hooked = false;

function killAll(): void {
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
  live.clear();
}

export function trackGroup(pgid: number): void {
  if (!hooked) {
    process.once('exit', killAll);
    hooked = true;
  }
  live.add(pgid);
  guardGroup(pgid);
}

export function untrackGroup(pgid: number): void {
  live.delete(pgid);
  releaseGroup(pgid);
}
