import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { yamlSyntaxError } from '../core/yaml-error.js';
import { inputError } from '../core/errors.js';
import { PLAN_SCHEMA, PLATFORM_SCHEMA, PlanSchema, SAMPLE_SCHEMA, WORKFLOW_SCHEMA } from '../core/types.js';
import { formatZodError } from '../core/zod-issue.js';
import { count } from '../report/format.js';
import { jsonErrorMessage, stripBom } from '../core/text.js';
import type { Plan, Workflow } from '../core/types.js';
import {
  PlatformRegistry,
  allowedSizes,
  assertSpacesAllowConfigs,
  axisRange,
  loadPlatformFile,
} from '../platforms/index.js';
import { readSamples } from '../store/index.js';
import { loadAnyWorkflow, WORKFLOW_MODULE } from '../store/workflow-module.js';
import { platformWarnings } from '../pipeline/train.js';
import { print, warn } from './io.js';

type Kind = 'samples' | 'workflow' | 'plan' | 'platform';
const KINDS: Kind[] = ['samples', 'workflow', 'plan', 'platform'];

/** Guess the kind from the extension and the first document's `schema` (or shape). */
function detectKind(path: string, text: string): Kind {
  if (/\.jsonl$/i.test(path)) return 'samples';
  if (WORKFLOW_MODULE.test(path)) return 'workflow';
  const firstLine = text.split('\n').find((l) => l.trim() !== '') ?? '';
  if (firstLine.includes(SAMPLE_SCHEMA)) return 'samples';
  // The first document's first object: a platform file may hold several documents, or a list.
  let first: unknown;
  for (const doc of parseAllDocuments(text)) {
    const e = doc.errors[0];
    if (e)
      throw inputError(
        yamlSyntaxError(e, path),
        `validate reads a samples, workflow, plan or platform file (JSON or YAML); --kind ${KINDS.join('|')} names which`,
      );
    const value: unknown = doc.toJS();
    if (value == null) continue;
    first = Array.isArray(value) ? value[0] : value;
    break;
  }
  const schema =
    typeof first === 'object' && first !== null ? (first as { schema?: unknown }).schema : undefined;
  const known = [SAMPLE_SCHEMA, WORKFLOW_SCHEMA, PLAN_SCHEMA, PLATFORM_SCHEMA];
  if (typeof schema === 'string' && !known.includes(schema))
    throw inputError(`${path}: unknown schema "${schema}"`, `rightsizer reads ${known.join(', ')}`);
  if (schema === PLAN_SCHEMA) return 'plan';
  if (schema === PLATFORM_SCHEMA) return 'platform';
  if (schema === WORKFLOW_SCHEMA || (typeof first === 'object' && first !== null && 'stages' in first))
    return 'workflow';
  if (schema === SAMPLE_SCHEMA) return 'samples';
  throw inputError(`${path}: cannot tell what kind of file this is`, `give --kind ${KINDS.join('|')}`);
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a samples, workflow, plan or platform file against its schema')
    .argument('<file>', 'the file (a folder means its workflow file: workflow.yaml, workflow.ts, …)')
    .option('--kind <kind>', `${KINDS.join(' | ')} (default: detected)`)
    .action(async (file: string, flags: { kind?: string }) => {
      if (flags.kind !== undefined && !KINDS.includes(flags.kind as Kind))
        throw inputError(`--kind: unknown kind "${flags.kind}"`, `valid: ${KINDS.join(', ')}`);
      let text = '';
      let isDir = false;
      try {
        text = stripBom(readFileSync(file, 'utf8'));
      } catch (e) {
        isDir = (e as NodeJS.ErrnoException).code === 'EISDIR';
        if (!isDir) throw inputError(`${file}: cannot read the file`, 'check the path');
      }
      const kind = (flags.kind as Kind | undefined) ?? (isDir ? 'workflow' : detectKind(file, text));
      switch (kind) {
        case 'samples': {
          const { samples, problems } = await readSamples(file, { strict: false });
          if (problems.length > 0) {
            for (const p of problems) process.stderr.write(`${file}:${p.line}: ${p.reason}\n`);
            throw inputError(
              `${file}: ${problems.length} bad line(s) of ${problems.length + samples.length}`,
              `each must be a ${SAMPLE_SCHEMA} record`,
            );
          }
          for (const w of platformWarnings(samples, new PlatformRegistry(), file)) warn(w);
          // Contracts of sample/v1 the schema leaves to the engine: they are used as they are.
          for (const [i, x] of samples.entries()) {
            const which = `${file}: sample ${x.runId ?? `#${i + 1}`} (stage ${x.stage})`;
            if (x.status === 'ok' && x.workers.length !== x.config.workers)
              warn(`${which}: ${x.workers.length} workers[] entries for ${x.config.workers} workers`);
            const short = x.workers.findIndex(
              (w) =>
                w.totalMs != null && w.totalMs + 1 < (w.readMs ?? 0) + (w.computeMs ?? 0) + (w.writeMs ?? 0),
            );
            if (short >= 0)
              warn(`${which}: workers[${short}].totalMs is less than its readMs + computeMs + writeMs`);
          }
          return print(
            `${file}: valid ${SAMPLE_SCHEMA} (${count(samples.length, 'sample')}, stages: ${[...new Set(samples.map((s) => s.stage))].join(', ')})`,
          );
        }
        case 'workflow': {
          const wf = await loadAnyWorkflow(file);
          checkSpaces(file, wf);
          return print(`${file}: valid ${WORKFLOW_SCHEMA} (${wf.name}: ${count(wf.stages.length, 'stage')})`);
        }
        case 'platform': {
          const ps = loadPlatformFile(file);
          return print(`${file}: valid ${PLATFORM_SCHEMA} (${ps.map((p) => p.id).join(', ')})`);
        }
        case 'plan': {
          let doc: unknown;
          try {
            doc = JSON.parse(text);
          } catch (e) {
            throw inputError(
              `${file}: not JSON (${jsonErrorMessage(text, e)})`,
              `a ${PLAN_SCHEMA} document or an array of them`,
            );
          }
          const docs = Array.isArray(doc) ? doc : [doc];
          docs.forEach((d, i) => {
            const where = `${file}${Array.isArray(doc) ? `[${i}]` : ''}`;
            const r = PlanSchema.safeParse(d);
            if (!r.success)
              throw inputError(`${where}: ${formatZodError(r.error)}`, `expected ${PLAN_SCHEMA}`);
            const broken = planInconsistency(r.data);
            if (broken)
              throw inputError(`${where}: ${broken}`, `a ${PLAN_SCHEMA} document as plan writes it`);
          });
          return print(`${file}: valid ${PLAN_SCHEMA} (${docs.length} plan${docs.length > 1 ? 's' : ''})`);
        }
      }
    });
}

/**
 * What the schema cannot say of a plan: each interval is ordered and, on the mean, holds its point
 * (a percentile's point may lie past one run's 90 % interval: a p99 does), and the workflow's cost
 * is the sum of its stages' (costs add; only latencies compose along the DAG). Null when it holds.
 */
function planInconsistency(plan: Plan): string | null {
  const onMean = plan.objective.percentile == null;
  const interval = (
    p: { latencyMs: number | null; latencyIntervalMs: [number, number] | null },
    at: string,
  ): string | null => {
    const iv = p.latencyIntervalMs;
    if (!iv) return null;
    if (!(iv[0] <= iv[1])) return `${at}.latencyIntervalMs [${iv[0]}, ${iv[1]}] is not ordered`;
    if (!onMean || p.latencyMs == null) return null;
    const slack = 1e-9 * Math.abs(p.latencyMs);
    return iv[0] <= p.latencyMs + slack && p.latencyMs <= iv[1] + slack
      ? null
      : `${at}.latencyIntervalMs [${iv[0]}, ${iv[1]}] does not hold its mean latencyMs ${p.latencyMs}`;
  };
  for (const [k, s] of plan.stages.entries()) {
    const bad = interval(s.predicted, `stages[${k}].predicted`);
    if (bad) return bad;
  }
  const bad = interval(plan.predicted, 'predicted');
  if (bad) return bad;
  const sum = plan.stages.reduce((a, s) => a + s.predicted.costUSD, 0);
  const total = plan.predicted.costUSD;
  return Math.abs(total - sum) <= 1e-6 * Math.max(Math.abs(total), Math.abs(sum), 1e-12)
    ? null
    : `predicted.costUSD ${total} is not the sum of its stages' costs (${sum})`;
}

/**
 * What `plan` would refuse or skip in the stages' spaces on the workflow's platform (when it is a
 * built-in one): a space that leaves no config is an error, listed sizes the platform does not
 * offer a warning.
 */
function checkSpaces(file: string, wf: Workflow): void {
  const registry = new PlatformRegistry();
  if (!registry.ids().includes(wf.platform)) {
    // Valid as a workflow: its platform may come from a --platform-file, which plan then needs.
    warn(
      `${file}: platform "${wf.platform}" is not a known one (${registry.ids().join(', ')}); plan, optimize and run need a --platform-file that defines it (or --platform)`,
    );
    return;
  }
  const platform = registry.get(wf.platform);
  const [lo, hi] = axisRange(platform.memoryMB);
  assertSpacesAllowConfigs(`${file}: `, wf.stages, platform);
  for (const def of wf.stages) {
    const sizes = allowedSizes(platform, def.space);
    const listed = def.space?.memoryMB;
    if (Array.isArray(listed)) {
      const off = listed.filter((m) => !sizes.some((z) => Math.abs(z.memoryMB - m) < 1e-9));
      if (off.length > 0)
        warn(
          `${file}: stage ${def.name}: ${platform.id} does not offer memoryMB ${off.join(', ')} (${lo}–${hi}); plan skips them`,
        );
    }
  }
}
