/** Guards a marker, starts a marked process tree that keeps forking, says "ready", and waits to be killed. */
import { spawn } from 'node:child_process';
import { guardMarker } from '../../../src/backends/orphan-guard.js';

const [name, marker] = process.argv.slice(2) as [string, string];
guardMarker(`${name}=${marker}`);
spawn('sh', ['-c', 'while :; do sleep 30 & sleep 0.002; done'], {
  env: { ...process.env, [name]: marker },
  stdio: 'ignore',
  detached: true,
}).unref();
// The guard's add message must be sent before we say we are ready.
setTimeout(() => process.stdout.write('ready\n'), 200);
setInterval(() => undefined, 1000);
