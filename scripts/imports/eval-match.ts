/**
 * Prints the track matcher's precision and recall on the labelled fixture, per category, and the
 * pairs it gets wrong.
 *
 *   node scripts/imports/eval-match.ts [--json]
 */
import { readFileSync } from 'node:fs';
import type { CatalogueRow } from '../../worker/imports/match.ts';
import { evaluateMatcher, type MatchPair } from './match-eval.ts';

const dir = new URL('../../test/scripts/imports/fixtures/', import.meta.url);
const catalogue = JSON.parse(readFileSync(new URL('match-catalogue.json', dir), 'utf8')) as { rows: CatalogueRow[] };
const { pairs } = JSON.parse(readFileSync(new URL('match-pairs.json', dir), 'utf8')) as { pairs: MatchPair[] };
const r = evaluateMatcher(catalogue.rows, pairs);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ precision: r.precision, recall: r.recall, byCategory: r.byCategory, byMethod: r.byMethod }, null, 2));
} else {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const positives = pairs.filter((p) => p.expected !== null).length;
  console.log(
    `Track matching on ${pairs.length} labelled pairs (${positives} in the catalogue, ${pairs.length - positives} not), ${catalogue.rows.length} catalogue rows`,
  );
  console.log(`precision ${pct(r.precision)}  (${r.correct} correct of ${r.correct + r.wrong} matches returned)`);
  console.log(`recall    ${pct(r.recall)}  (${r.correct} of ${positives} matchable pairs)`);
  console.log(
    `by method: ${Object.entries(r.byMethod)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')}`,
  );
  console.log('');
  console.log(
    `${'category'.padEnd(12)} ${'pairs'.padStart(5)} ${'correct'.padStart(7)} ${'wrong'.padStart(5)} ${'missed'.padStart(6)} ${'rejected'.padStart(8)}`,
  );
  for (const [cat, c] of Object.entries(r.byCategory).sort()) {
    console.log(
      `${cat.padEnd(12)} ${String(c.pairs).padStart(5)} ${String(c.correct).padStart(7)} ${String(c.wrong).padStart(5)} ${String(c.missed).padStart(6)} ${String(c.rejected).padStart(8)}`,
    );
  }
  if (r.failures.length > 0) {
    console.log('');
    console.log('wrong or missed:');
    for (const { pair, got } of r.failures) {
      const g = got ? `${got.track_id} (${got.method} ${got.score})` : 'no match';
      console.log(
        `  ${pair.id} [${pair.category}] ${pair.listen.artist_name} — ${pair.listen.track_name}: expected ${pair.expected ?? 'no match'}, got ${g}${pair.note ? `  (${pair.note})` : ''}`,
      );
    }
  }
}
