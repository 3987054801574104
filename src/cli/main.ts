/** The `rightsizer` command line: one file per command; user errors exit 2 (3: infeasible) in one line. */
import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import { RightsizerError } from '../core/errors.js';
import { registerImport } from './import.js';
import { registerOptimize } from './optimize.js';
import { registerPlan } from './plan.js';
import { registerPlatforms } from './platforms.js';
import { registerPredict } from './predict.js';
import { registerProfile } from './profile.js';
import { registerRun } from './run.js';
import { registerTrain } from './train.js';
import { registerValidate } from './validate.js';

export function buildProgram(): Command {
  const program = new Command('rightsizer')
    .description('Profiles serverless workflows and plans the workers and worker size of every stage.')
    .version('0.1.0')
    .exitOverride()
    // One line, as every other bad input: "rightsizer: unknown option '--x' (add --help for usage)".
    .configureOutput({
      outputError: (str, write) =>
        write(
          pc.red(
            `rightsizer: ${str
              .trim()
              .replace(/^error: /, '')
              .replace(/\s*\n\s*/g, ' ')} (add --help for usage)\n`,
          ),
        ),
    });
  registerProfile(program);
  registerOptimize(program);
  registerRun(program);
  registerPlan(program);
  registerTrain(program);
  registerPredict(program);
  registerValidate(program);
  registerImport(program);
  registerPlatforms(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a bad flag or argument.
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version'
        ? 0
        : 2;
    }
    if (e instanceof RightsizerError) {
      process.stderr.write(`${pc.red('rightsizer:')} ${e.oneLine()}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    process.stderr.write(`${pc.red('rightsizer: internal error:')} ${err.message}\n`);
    if (process.env.RIGHTSIZER_DEBUG) process.stderr.write(`${err.stack ?? ''}\n`);
    return 1;
  }
}

/** Whether this module is the script Node was started with (`node dist/cli/main.js …`). */
function isEntryScript(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// bin/rightsizer.js imports main(); started directly, this file is the CLI too rather than a silent no-op.
if (isEntryScript()) process.exitCode = await main(process.argv);
