import type { YAMLError } from 'yaml';

/**
 * One line for a YAML syntax error: `source:line:col: not valid YAML (reason)`. The yaml package's
 * message ends with " at line L, column C:" and a code excerpt; the position goes up front instead.
 */
export function yamlSyntaxError(error: YAMLError, source: string): string {
  const at = error.linePos?.[0];
  const where = at ? `${source}:${at.line}:${at.col}` : source;
  const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return `${where}: not valid YAML (${message})`;
}
