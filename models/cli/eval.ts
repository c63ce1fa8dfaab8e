/**
 * npm run eval [-- --hetrec DIR] [--seed N] [--json FILE] [--item-item-blend X]
 * Prints the evaluation table (strong generalisation + cold start) for the default training settings.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_HETREC } from '../data/read-hetrec.ts';
import { formatReport, runEvaluation } from '../pipeline/evaluate.ts';
import { DEFAULT_TRAINING_PARAMS, itemItemFlag } from '../train/defaults.ts';

const { values: a } = parseArgs({
  options: {
    hetrec: { type: 'string', default: DEFAULT_HETREC },
    seed: { type: 'string', default: '1' },
    'ease-items': { type: 'string', default: '2000' },
    'ease-lambda': { type: 'string', default: '100' },
    json: { type: 'string' },
    'item-item-blend': { type: 'string' },
  },
});

const t0 = performance.now();
runEvaluation({
  hetrec: a.hetrec!,
  seed: Number(a.seed),
  params:
    a['item-item-blend'] === undefined
      ? DEFAULT_TRAINING_PARAMS
      : { ...DEFAULT_TRAINING_PARAMS, itemItem: itemItemFlag(a['item-item-blend']) },
  easeItems: Number(a['ease-items']),
  easeLambda: Number(a['ease-lambda']),
  log: (l) => console.error(l),
})
  .then(async (report) => {
    console.log(formatReport(report));
    console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    if (a.json) await writeFile(a.json, `${JSON.stringify(report, null, 2)}\n`);
  })
  .catch((e: unknown) => {
    console.error(`eval: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
