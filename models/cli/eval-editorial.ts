/**
 * npm run eval:editorial [-- --seeds 5] [--position 3] [--hetrec DIR]
 * The offline cost of one editorial slot in home lists (pipeline/evaluate-editorial.ts): NDCG@20 and recall@20 of
 * the trained model on HetRec with no slot, a slot from a "Top Hits" playlist and one from random
 * picks, over several random splits.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_HETREC } from '../data/read-hetrec.ts';
import { type EditorialSeedReport, evaluateEditorialSlot, formatEditorialReport } from '../pipeline/evaluate-editorial.ts';
import { DEFAULT_TRAINING_PARAMS } from '../train/defaults.ts';

const { values: a } = parseArgs({
  options: {
    hetrec: { type: 'string', default: DEFAULT_HETREC },
    seeds: { type: 'string', default: '5' },
    position: { type: 'string', default: '3' },
  },
});

async function main() {
  const seeds = Number(a.seeds);
  const position = Number(a.position);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 20) throw new Error('--seeds must be an integer from 1 to 20');
  if (!Number.isInteger(position) || position < 1 || position > 20) throw new Error('--position must be an integer from 1 to 20');
  const t0 = performance.now();
  const reports: EditorialSeedReport[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    console.error(`[${seed}/${seeds}] seed ${seed}`);
    reports.push(
      await evaluateEditorialSlot({
        hetrec: a.hetrec as string,
        seed,
        position,
        params: DEFAULT_TRAINING_PARAMS,
        log: (l) => console.error(l),
      }),
    );
  }
  console.log(formatEditorialReport(reports, position));
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(`eval:editorial: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
