/**
 * What an editorial slot costs the listener, offline (`npm run eval:editorial`): HetRec strong
 * generalisation through the exported scorer.onnx, each held-out user's top 20 with and without one
 * editorial slot. The slot follows the Worker's rule (worker/recs/recommend.ts `editorialPicks`): of
 * the playlist's tracks the user has not played, the one the model scores highest takes the slot's
 * position, and the list moves down around it. Two playlists bound the cost: the 25 most popular
 * items of training (an editor's "Top Hits") and 25 items drawn at random (picks the data does not
 * support at all).
 */
import { SCORER_FILE } from '../../contract/bundle-manifest.ts';
import { readHetrec, tagContent } from '../data/read-hetrec.ts';
import { itemPopularity, type Ranker } from '../eval/baselines.ts';
import { popularityPercentiles, topK } from '../eval/metrics.ts';
import { evaluateRanker, type RankingMetrics, scorerRanker } from '../eval/protocol.ts';
import { strongSplit, trainingInteractions } from '../eval/split.ts';
import { ScorerSession } from '../onnx/runtime.ts';
import type { TrainingParams } from '../train/defaults.ts';
import { trainBundle } from './evaluate.ts';

export const EDITORIAL_PLAYLIST_SIZE = 25;

/**
 * `ranker` with one editorial slot at 1-based `position`: the playlist item the ranker scores highest
 * (history excluded) is given a score between the items ranked `position − 1` and `position` without it.
 */
export function withEditorialSlot(ranker: Ranker, playlist: Int32Array, position: number): Ranker {
  return async (history, weights) => {
    const scores = Float32Array.from(await ranker(history, weights));
    const played = new Set(history);
    let pick = -1;
    for (const i of playlist) if (!played.has(i) && (pick < 0 || (scores[i] as number) > (scores[pick] as number))) pick = i;
    if (pick < 0) return scores;
    const others = topK(scores, position, new Set([...played, pick]));
    const below = scores[others[position - 1] as number] as number;
    const above = position >= 2 ? (scores[others[position - 2] as number] as number) : below + 2;
    scores[pick] = above > below ? (above + below) / 2 : above;
    return scores;
  };
}

export interface EditorialSeedReport {
  seed: number;
  users: number;
  plain: RankingMetrics;
  popularSlot: RankingMetrics;
  randomSlot: RankingMetrics;
}

/** Deterministic pseudo-random items (mulberry32 on the seed). */
function randomItems(n: number, k: number, seed: number): Int32Array {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Set<number>();
  while (out.size < Math.min(k, n)) out.add(Math.floor(next() * n));
  return Int32Array.from(out);
}

/**
 * @example const r = await evaluateEditorialSlot({ hetrec, seed: 1, position: 3, params, log: console.error });
 */
export async function evaluateEditorialSlot(o: {
  hetrec: string;
  seed: number;
  position: number;
  params: TrainingParams;
  log: (line: string) => void;
}): Promise<EditorialSeedReport> {
  const full = await readHetrec(o.hetrec);
  const nAll = full.interactions.itemIds.length;
  const split = strongSplit(full.interactions.byUser, nAll, { testUsers: 0.2, historyShare: 0.8, seed: o.seed });
  const heldOutIds = new Set([...split.heldOut].map((u) => full.interactions.userIds[u] as string));
  const tagged = tagContent(nAll, full.taggings, (id) => !heldOutIds.has(id));
  const nItems = split.items.length;
  const popularity = itemPopularity(split.train, nItems);
  const pct = popularityPercentiles(popularity);
  const t0 = performance.now();
  const loaded = await trainBundle(
    trainingInteractions(full.interactions, split),
    Array.from(split.items, (i) => tagged[i] as (typeof tagged)[number]),
    `hetrec strong split seed ${o.seed}`,
    o.params,
  );
  o.log(`  seed ${o.seed}: trained and exported in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const scorer = await ScorerSession.load(loaded.files[SCORER_FILE] as Uint8Array);
  try {
    const ranker = scorerRanker(scorer, nItems);
    const popular = topK(popularity, EDITORIAL_PLAYLIST_SIZE);
    const random = randomItems(nItems, EDITORIAL_PLAYLIST_SIZE, o.seed * 7919);
    const plain = await evaluateRanker(ranker, split.test, nItems, pct);
    const popularSlot = await evaluateRanker(withEditorialSlot(ranker, popular, o.position), split.test, nItems, pct);
    const randomSlot = await evaluateRanker(withEditorialSlot(ranker, random, o.position), split.test, nItems, pct);
    o.log(`  seed ${o.seed}: evaluated ${split.test.length} held-out users three ways`);
    return { seed: o.seed, users: split.test.length, plain, popularSlot, randomSlot };
  } finally {
    await scorer.release();
  }
}

/** Mean ± sample standard deviation over seeds, as a Markdown table of NDCG@20 and recall@20. */
export function formatEditorialReport(reports: readonly EditorialSeedReport[], position: number): string {
  const stat = (xs: number[]) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
    return `${mean.toFixed(4)} ± ${sd.toFixed(4)}`;
  };
  const rows: Array<[string, (r: EditorialSeedReport) => RankingMetrics]> = [
    ['no editorial slot', (r) => r.plain],
    [`slot ${position}: the ${EDITORIAL_PLAYLIST_SIZE} most popular items`, (r) => r.popularSlot],
    [`slot ${position}: ${EDITORIAL_PLAYLIST_SIZE} random items`, (r) => r.randomSlot],
  ];
  const lines = [
    `HetRec strong generalisation, scorer.onnx, seeds ${reports.map((r) => r.seed).join(', ')} (mean ± sd), ${Math.min(...reports.map((r) => r.users))}–${Math.max(...reports.map((r) => r.users))} held-out users a seed`,
    '',
    '| list | NDCG@20 | recall@20 | ΔNDCG@20 vs none (paired mean) |',
    '| --- | --- | --- | --- |',
  ];
  for (const [name, pick] of rows) {
    const delta = reports.map((r) => pick(r).ndcg20 - r.plain.ndcg20);
    lines.push(
      `| ${name} | ${stat(reports.map((r) => pick(r).ndcg20))} | ${stat(reports.map((r) => pick(r).recall20))} | ${pick === rows[0]?.[1] ? '—' : stat(delta)} |`,
    );
  }
  return lines.join('\n');
}
