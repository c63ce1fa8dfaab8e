/**
 * npm run train -- (--interactions FILE.csv | --hetrec DIR | --from-local [--persist-to DIR])
 *                  [--items FILE.csv] --out DIR [--seed N] [--factors N] [--iterations N] [--tune]
 * Trains the recommender and writes a model bundle (shared/spec/model-bundle.md) to --out.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { writeBundle } from '../bundle/write.ts';
import { loadTrainingInput } from '../data/load.ts';
import { exportModels, trainModels } from '../pipeline/train.ts';
import { tune } from '../pipeline/tune.ts';
import type { TrainingParams } from '../train/defaults.ts';
import { DEFAULT_TRAINING_PARAMS, itemItemFlag } from '../train/defaults.ts';

const { values: a } = parseArgs({
  options: {
    interactions: { type: 'string' },
    hetrec: { type: 'string' },
    'from-local': { type: 'boolean' },
    'persist-to': { type: 'string' },
    items: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    factors: { type: 'string' },
    iterations: { type: 'string' },
    alpha: { type: 'string' },
    regularization: { type: 'string' },
    'item-item-blend': { type: 'string' },
    'half-life-days': { type: 'string' },
    'event-weights': { type: 'string' },
    tune: { type: 'boolean' },
    threads: { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

const USAGE = `usage: npm run train -- (--interactions FILE.csv | --hetrec DIR | --from-local [--persist-to DIR])
                      [--items FILE.csv] --out DIR [--seed N] [--factors N] [--iterations N]
                      [--alpha X] [--regularization X] [--item-item-blend X (0 = ALS only)]
                      [--half-life-days N] [--event-weights JSON]
                      [--threads N] [--tune] [--quiet]`;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got "${v}"`);
  return n;
}
function pos(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number, got "${v}"`);
  return n;
}

async function main(): Promise<void> {
  if (a.help) {
    console.log(USAGE);
    return;
  }
  if (!a.out) throw new Error(`--out DIR is required\n${USAGE}`);
  const t0 = performance.now();
  const input = await loadTrainingInput({
    interactions: a.interactions,
    hetrec: a.hetrec,
    fromLocal: a['from-local'],
    persistTo: a['persist-to'],
    items: a.items,
    halfLifeDays: pos('half-life-days', a['half-life-days']),
    eventWeights: a['event-weights'] ? JSON.parse(a['event-weights']) : undefined,
  });
  const { userIds, itemIds, byUser } = input.interactions;
  log(`data: ${input.data}\n  ${userIds.length} users × ${itemIds.length} items, ${byUser.indices.length} interactions`);
  let params: TrainingParams = {
    ...DEFAULT_TRAINING_PARAMS,
    als: {
      ...DEFAULT_TRAINING_PARAMS.als,
      ...defined({
        seed: a.seed === undefined ? undefined : Number(a.seed),
        factors: int('factors', a.factors),
        iterations: int('iterations', a.iterations),
        alpha: pos('alpha', a.alpha),
        regularization: pos('regularization', a.regularization),
      }),
    },
  };
  if (a['item-item-blend'] !== undefined) params.itemItem = itemItemFlag(a['item-item-blend']);
  if (a.tune) {
    const tuned = await tune(input.interactions, params, (line) => log(line));
    params = tuned.params;
    log(`tuned on a validation split of the training users: ${JSON.stringify(tuned.best)}`);
  }
  const bar = a.quiet
    ? null
    : new cliProgress.SingleBar(
        { format: 'training |{bar}| {value}/{total} iterations | loss {loss} | {secs} s/it', hideCursor: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
  bar?.start(params.als.iterations, 0, { loss: '-', secs: '-' });
  const threads = int('threads', a.threads);
  let loss = Number.NaN;
  const trained = await trainModels(
    input,
    params,
    (r) => {
      loss = r.loss;
      bar?.update(r.iteration, { loss: r.loss.toExponential(4), secs: r.seconds.toFixed(2) });
    },
    threads,
  );
  bar?.stop();
  const contents = await exportModels(input, trained, { data: input.data, params: { ...params }, metrics: {} });
  contents.training.metrics = {
    trainingLoss: loss,
    onnxMaxAbsDiff: contents.parity,
    users: userIds.length,
    interactions: byUser.indices.length,
  };
  const manifest = await writeBundle(a.out, contents);
  log(
    `wrote ${a.out}: version ${manifest.version}, ${manifest.items} items × ${manifest.dims} dims` +
      `${manifest.files.content ? `, content model on ${manifest.contentFeatures.length} features` : ''}` +
      `\n  ONNX parity (max |score diff|): scorer ${contents.parity.scorer.toExponential(2)}` +
      `${contents.parity.content === undefined ? '' : `, content ${contents.parity.content.toExponential(2)}`}` +
      `\n  ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  function log(s: string): void {
    if (!a.quiet) console.log(s);
  }
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

main().catch((e: unknown) => {
  console.error(`train: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
