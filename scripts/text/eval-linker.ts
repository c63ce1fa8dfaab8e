/**
 * Prints the text linker's precision and recall on the hand-labelled fixture and on generated
 * articles (fixed seed), and the texts it gets wrong.
 *
 *   npm run eval:linker [-- --json] [-- --generated N --seed S]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluateLinker, type LinkerScore, parseLabelled } from '../../worker/text/evaluate.ts';
import { generateArticles } from '../../worker/text/generate.ts';
import type { LinkCatalogue } from '../../worker/text/link.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    generated: { type: 'string', default: '300' },
    seed: { type: 'string', default: '7' },
  },
});
const dir = new URL('../../test/fixtures/text/', import.meta.url);
const catalogue = JSON.parse(readFileSync(new URL('catalogue.json', dir), 'utf8')) as LinkCatalogue;
const labelled = evaluateLinker(catalogue, parseLabelled(readFileSync(new URL('labelled.jsonl', dir), 'utf8')));
const generated = evaluateLinker(catalogue, generateArticles(catalogue, Number(values.generated), Number(values.seed)));

if (values.json) {
  const brief = (s: LinkerScore) => ({ texts: s.texts, precision: s.precision, recall: s.recall });
  console.log(JSON.stringify({ labelled: brief(labelled), generated: brief(generated) }, null, 2));
} else {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const line = (name: string, s: LinkerScore) =>
    `${name.padEnd(10)} ${String(s.texts).padStart(5)} texts  precision ${pct(s.precision).padStart(7)} (${s.truePositives}/${s.linked})  recall ${pct(s.recall).padStart(7)} (${s.truePositives}/${s.expected})`;
  console.log(`Text linker on ${catalogue.artists.length} artists and ${catalogue.tracks.length} tracks`);
  console.log(line('labelled', labelled));
  console.log(line('generated', generated));
  for (const [name, s] of [
    ['labelled', labelled],
    ['generated', generated],
  ] as const) {
    if (s.errors.length === 0) continue;
    console.log(`\n${name}, wrong or missed (${s.errors.length} texts):`);
    for (const e of s.errors.slice(0, 20)) {
      console.log(`  ${e.id}: missed [${e.missed.join(', ')}] spurious [${e.spurious.join(', ')}]${e.note ? `  (${e.note})` : ''}`);
    }
  }
}
