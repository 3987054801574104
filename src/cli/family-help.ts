import { inputError } from '../core/errors.js';
import { FAMILIES } from '../models/index.js';

/** `--family`'s help: every family fitStage accepts, from the registry itself. */
export const FAMILY_HELP = `model family: auto | ${Object.keys(FAMILIES).join(' | ')}`;

/** `--family`'s parser: a name fitStage accepts, refused as the flag's value otherwise. */
export function parseFamily(text: string): string {
  if (text === 'auto' || FAMILIES[text]) return text;
  throw inputError(
    `--family: unknown model family "${text}"`,
    `use auto or one of ${Object.keys(FAMILIES).join(', ')}`,
  );
}
