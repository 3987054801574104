/** Terminal I/O shared by commands: diagnostics on stderr, documents on stdout. */
import pc from 'picocolors';

export function warn(message: string): void {
  process.stderr.write(`${pc.yellow('warning')}: ${message}\n`);
}

export function note(message: string): void {
  process.stderr.write(`${pc.dim('note')}: ${message}\n`);
}

export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
