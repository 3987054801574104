/**
 * `npm run bench` — measures rightsizer against the numbers of issue 2 and writes bench/RESULTS.md.
 *   npm run bench                      every section, 5 trials per synthetic stage
 *   npm run bench -- --quick           a fast subset (4 stages, 2 trials, 1 real trial)
 *   npm run bench -- --only <section>  recommendation | dag | prediction | uncertainty | families | speed | real | optimize | taskac
 * Every random choice is seeded: two runs on the same code give the same numbers.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlatformRegistry } from '../src/platforms/index.js';
import { BenchContext } from './lib/context.js';
import type { SectionResult } from './lib/section.js';
import { dagSection } from './sections/dag.js';
import { familiesSection } from './sections/families.js';
import { optimizeSection } from './sections/optimize.js';
import { predictionSection } from './sections/prediction.js';
import { realSection } from './sections/real.js';
import { recommendationSection } from './sections/recommendation.js';
import { speedSection } from './sections/speed.js';
import { taskacSection } from './sections/taskac.js';
import { uncertaintySection } from './sections/uncertainty.js';
import { STAGES } from './stages.js';
import { measureLithopsOverhead } from './lithops-overhead.js';
import { measureLocalOverhead } from './local-overhead.js';

const SECTIONS = [
  'recommendation',
  'dag',
  'prediction',
  'uncertainty',
  'families',
  'speed',
  'real',
  'optimize',
  'taskac',
  'local',
  'lithops',
] as const;
type Section = (typeof SECTIONS)[number];

/** The etl-chain workflow's stages: throttling, single-threaded code, bandwidth and a single worker. */
const QUICK_STAGES = ['io-copy', 'parse-csv', 'shuffle-reduce', 'image-reduce'];

function parseArgs(argv: string[]): { quick: boolean; only: Section | null } {
  let quick = false;
  let only: Section | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--only') {
      const v = argv[++i];
      if (!v || !(SECTIONS as readonly string[]).includes(v)) {
        console.error(`--only: expected one of ${SECTIONS.join(', ')}`);
        process.exit(2);
      }
      only = v as Section;
    } else {
      console.error(`unknown argument "${a}" (use --quick, --only <section>)`);
      process.exit(2);
    }
  }
  return { quick, only };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const here = dirname(fileURLToPath(import.meta.url));
  const repo = resolve(here, '..');
  const dataDir = resolve(repo, '..', 'shared', 'data');
  const registry = new PlatformRegistry();
  const platform = registry.get('aws-lambda-x86');
  const stages = args.quick ? STAGES.filter((s) => QUICK_STAGES.includes(s.scenario.name)) : STAGES;
  const ctx = new BenchContext(platform, stages, args.quick ? 2 : 5);
  const want = (s: Section): boolean => args.only === null || args.only === s;

  const started = Date.now();
  const results: SectionResult[] = [];
  const failed: Section[] = [];
  const run = async (name: Section, f: () => SectionResult | Promise<SectionResult>): Promise<void> => {
    if (!want(name)) return;
    const t0 = Date.now();
    process.stderr.write(`bench: ${name}…\n`);
    // A section that throws is retried once (the Lithops and local sections run real processes
    // and can meet a transient race), and the retry is reported; a second failure is written into
    // the results and fails the bench at the end, after every other section has run.
    const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0]!;
    let r: SectionResult;
    try {
      r = await f();
    } catch (e) {
      process.stderr.write(`bench: ${name} failed (${firstLine(e)}); retrying once\n`);
      try {
        r = await f();
        r.markdown.push('', `_A first attempt failed and was retried: ${firstLine(e)}._`);
      } catch (e2) {
        failed.push(name);
        r = {
          title: name,
          markdown: [`**Failed:** ${firstLine(e2)}`],
          summary: [`${name}: FAILED (${firstLine(e2)})`],
        };
      }
    }
    r.markdown.push('', `_Section time: ${((Date.now() - t0) / 1000).toFixed(1)} s._`);
    results.push(r);
    for (const line of r.summary) console.log(line);
  };
  await run('recommendation', () => recommendationSection(ctx));
  await run('dag', () => dagSection(ctx, args.quick ? 1 : 3));
  await run('prediction', () => predictionSection(ctx));
  await run('uncertainty', () => uncertaintySection(ctx));
  await run('families', () => familiesSection(ctx));
  await run('speed', () => speedSection(ctx, args.quick ? 1 : 5));
  await run('real', () => realSection(dataDir, registry, args.quick ? 1 : 3));
  await run('optimize', () => optimizeSection(ctx, args.quick));
  await run('taskac', () => taskacSection(args.quick ? 3 : 7));
  await run('local', async () => ({
    title: 'Local backend: cold start and overhead per worker',
    markdown: [
      'Against a bare `child_process.fork` of the same function (medians).',
      '',
      (await measureLocalOverhead(args.quick ? 3 : 7)).markdown,
    ],
    summary: [],
  }));
  await run('lithops', async () => {
    const title = 'Lithops bridge: overhead per stage run';
    if (!existsSync(join(repo, '.venv', 'bin', 'python')))
      return { title, markdown: ['Skipped: no .venv (run `bash scripts/setup-python.sh`).'], summary: [] };
    const { markdown } = await measureLithopsOverhead(args.quick ? 3 : 5);
    return {
      title,
      markdown: [
        'bridge + Lithops against the same map in a plain Lithops script, on Lithops localhost.',
        '',
        markdown,
      ],
      summary: [],
    };
  });
  const seconds = (Date.now() - started) / 1000;
  if (ctx.failedFits.length)
    results.push({
      title: 'Fits that could not be made',
      markdown: [
        'Designs where no run succeeded (every config out of memory or timed out); left out of the sections above.',
        '',
        ...ctx.failedFits.map((f) => `- ${f}`),
      ],
      summary: [],
    });

  const command = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  const cpu = cpus();
  const md = [
    '# rightsizer bench results',
    '',
    `- Command: \`${command}\``,
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Node ${process.version}`,
    `- Scope: ${stages.length} synthetic stages × ${ctx.trialsPerStage} trials, ${REPS_NOTE}; platform ${platform.id}`,
    `- Total time: ${seconds.toFixed(1)} s`,
    '',
    'Stages (bench/stages.ts): ' +
      stages.map((s) => `${s.scenario.name} (${s.shapes.join(', ')})`).join('; ') +
      '.',
    '',
    ...results.flatMap((r) => [`## ${r.title}`, '', ...r.markdown, '']),
  ].join('\n');
  const out = join(here, args.only || args.quick ? 'RESULTS.partial.md' : 'RESULTS.md');
  writeFileSync(out, md);
  console.log(`bench: ${seconds.toFixed(1)} s; wrote ${out}`);
  if (failed.length > 0) {
    console.error(`bench: sections failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

const REPS_NOTE = '7 configs × 3 repetitions per trial (maximin Latin hypercube in log space)';

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
