import { FAMILIES } from '../models/index.js';

/** `--family`'s help: every family fitStage accepts, from the registry itself. */
export const FAMILY_HELP = `model family: auto | ${Object.keys(FAMILIES).join(' | ')}`;
