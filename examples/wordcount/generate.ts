/**
 * The wordcount example's setup: `params.files` text objects of `params.bytesPerFile` bytes under
 * `text/`, lines of words drawn (seeded, Zipf-like) from a small vocabulary. Run once by
 * `profile`/`optimize` every time (deterministic: it writes the same objects again).
 */
import type { SetupContext } from '../../src/profiler/setup.js';

const VOCABULARY = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but ' +
  'have an they you were her she there been one all we their has would when if so no will more what ' +
  'stage worker memory serverless function cloud latency cost plan profile model storage object'
).split(' ');

export default async function generate(ctx: SetupContext): Promise<void> {
  const files = Number(ctx.params.files ?? 8);
  const bytesPerFile = Number(ctx.params.bytesPerFile ?? 512 * 1024);
  let state = Number(ctx.params.seed ?? 1) >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  for (let f = 0; f < files; f++) {
    const lines: string[] = [];
    let size = 0;
    while (size < bytesPerFile) {
      const words = Array.from({ length: 8 + Math.floor(next() * 8) }, () => {
        // Zipf-like: low ranks far more often.
        const rank = Math.floor(VOCABULARY.length * next() ** 2.5);
        return VOCABULARY[rank]!;
      });
      const line = words.join(' ');
      lines.push(line);
      size += line.length + 1;
    }
    await ctx.store.write(`text/part-${String(f).padStart(3, '0')}.txt`, `${lines.join('\n')}\n`);
  }
}
