/**
 * The lithops backend's own section of the workflow file:
 * ```yaml
 * lithops:
 *   config: ./lithops.yaml        # a Lithops config file, relative to the workflow, or the config inline
 * ```
 * Without it, Lithops finds its config itself (LITHOPS_CONFIG_FILE, ~/.lithops/config).
 */
import { inputError } from '../../core/errors.js';

export function lithopsConfigOf(
  workflow: Record<string, unknown>,
): string | Record<string, unknown> | undefined {
  const section = workflow['lithops'];
  if (section === undefined || section === null) return undefined;
  if (typeof section !== 'object' || Array.isArray(section))
    throw inputError('workflow: lithops must be a mapping', 'e.g. lithops: { config: ./lithops.yaml }');
  const config = (section as Record<string, unknown>)['config'];
  if (config === undefined || config === null) return undefined;
  if (typeof config === 'string') return config;
  if (typeof config === 'object' && !Array.isArray(config)) return config as Record<string, unknown>;
  throw inputError(
    'workflow: lithops.config must be a file path or a mapping',
    'e.g. config: ./lithops.yaml',
  );
}
