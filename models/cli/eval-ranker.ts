/**
 * npm run eval:ranker [-- --hetrec DIR] [--seeds 1,2,3,4,5] [--engine onnx|ts] [--ablation]
 *   [--threads N] [--trees N] [--max-users N] [--json FILE]
 * Per strong split: iALS alone and the LambdaMART second stage (NDCG@20, Recall@20), through the
 * exported scorer.onnx of each read back from a bundle, then the means. One seed takes ~2–3 min on
 * the shared 2-core machine; run seeds as separate commands to stay within a 10-minute budget each
 * (`--json` per seed, `--summarise a.json,b.json` prints the table of several).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_HETREC } from '../data/read-hetrec.ts';
import { formatRankerReport, runRankerEvaluation, type SeedResult } from '../pipeline/evaluate-ranker.ts';
import { DEFAULT_RANKER_PARAMS } from '../ranker/train.ts';
import { DEFAULT_TRAINING_PARAMS } from '../train/defaults.ts';

const { values: a } = parseArgs({
  options: {
    hetrec: { type: 'string', default: DEFAULT_HETREC },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    engine: { type: 'string', default: 'onnx' },
    ablation: { type: 'boolean', default: false },
    threads: { type: 'string', default: '1' },
    trees: { type: 'string' },
    'max-users': { type: 'string' },
    folds: { type: 'string' },
    json: { type: 'string' },
    summarise: { type: 'string' },
  },
});

async function main(): Promise<void> {
  if (a.summarise) {
    const results: SeedResult[] = [];
    for (const f of a.summarise.split(',')) results.push(...(JSON.parse(await readFile(f, 'utf8')) as SeedResult[]));
    console.log(formatRankerReport(results));
    return;
  }
  if (a.engine !== 'onnx' && a.engine !== 'ts') throw new Error(`--engine must be onnx or ts, got "${a.engine}"`);
  const seeds = a.seeds!.split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s))) throw new Error(`--seeds must be integers separated by commas, got "${a.seeds}"`);
  const t0 = performance.now();
  const results = await runRankerEvaluation({
    hetrec: a.hetrec!,
    seeds,
    params: DEFAULT_TRAINING_PARAMS,
    ranker: {
      ...DEFAULT_RANKER_PARAMS,
      ...(a['max-users'] ? { maxUsers: Number(a['max-users']) } : {}),
      ...(a.folds ? { folds: Number(a.folds) } : {}),
      lambdaMart: { ...DEFAULT_RANKER_PARAMS.lambdaMart, ...(a.trees ? { trees: Number(a.trees) } : {}) },
    },
    threads: Number(a.threads),
    engine: a.engine,
    ablation: a.ablation!,
    log: (l) => console.error(l),
  });
  console.log(formatRankerReport(results));
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  if (a.json) await writeFile(a.json, `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(`eval:ranker: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
