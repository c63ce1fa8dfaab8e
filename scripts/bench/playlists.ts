/**
 * npm run bench:playlists [-- --users 200] [--state .wrangler/state-serving] [--bundle DIR]
 *
 * The generated playlists on a large world, computed by the Worker's own code in Node
 * (scripts/lib/recs-in-process.ts) over the state `npm run bench:recs` loaded (50 000 tracks, 20 000
 * listeners, 18 genres): for each of the first --users listeners, their Daily Mixes, Discover Weekly
 * and Release Radar. Prints what the issue asks to measure:
 * - Daily Mix: mixes per listener (k from the data), each mix's genre purity, overlap between a
 *   listener's mixes (tracks, which are disjoint by construction, and artists), and coherence (mean
 *   cosine of tracks within a mix against between mixes);
 * - Discover Weekly: tracks new to the listener (by construction) and the share by artists new to them;
 * - Release Radar: length and the share by artists the listener plays;
 * - the compute time of each (the D1 reads are node:sqlite's, not D1's).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalD1 } from '../lib/local-d1.ts';
import { ROOT } from '../lib/local-worker.ts';
import { servingInProcess } from '../lib/recs-in-process.ts';
import { formatMs, percentile } from '../lib/stats.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '200' },
    state: { type: 'string', default: '.wrangler/state-serving' },
    bundle: { type: 'string' },
  },
});

interface Cat {
  ids: string[];
  indexOf: Map<string, number>;
  artistOf: Int32Array;
  genreOf: Int32Array;
  genres: string[];
}
interface Item {
  trackId: string;
  source: string;
}
interface Playlist {
  title: string;
  rec: { items: Item[]; coldStart: string };
}
type Surface = (input: unknown, timer: unknown) => Promise<Playlist>;

const users = Number(values.users);
if (!Number.isInteger(users) || users < 1 || users > 5000) throw new Error('--users must be an integer from 1 to 5000');
const persistTo = values.state as string;
const bundleDir = values.bundle ?? join(persistTo, 'bench-bundle');
if (!existsSync(join(ROOT, persistTo)) || !existsSync(join(bundleDir, 'manifest.json'))) {
  throw new Error(`${persistTo} holds no loaded world and bundle: run npm run bench:recs first (it loads and trains them, resumably)`);
}

const sqlite = openLocalD1(persistTo);
const ids = (sqlite.prepare('SELECT id FROM users ORDER BY id LIMIT ?').all(users) as { id: string }[]).map((r) => r.id);
sqlite.close();

console.error(`loading the bundle and the catalogue view from ${persistTo} …`);
const serving = await servingInProcess(persistTo, bundleDir);
const cat = serving.catalogue as Cat;
const { listenerHistory } = (await serving.worker('db/recs.ts')) as {
  listenerHistory: (db: unknown, id: string, now: number) => Promise<Array<{ trackId: string }>>;
};
const surfaces = (await serving.worker('recs/surfaces/playlists.ts')) as {
  dailyMixes: (input: unknown, timer: unknown) => Promise<Playlist[]>;
  discoverWeekly: Surface;
  releaseRadar: Surface;
};
const { unitEmbedding } = (await serving.worker('recs/catalogue.ts')) as {
  unitEmbedding: (model: unknown, cat: unknown, i: number) => Float32Array;
};
const { PhaseTimer } = (await serving.worker('recs/timing.ts')) as { PhaseTimer: new () => unknown };
console.error(
  `model ${serving.model.items.length} items × ${serving.model.dims} loaded in ${formatMs(serving.loadModelMs)}, catalogue view in ${formatMs(serving.catalogueMs)}`,
);

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, q) => s + x * (b[q] as number), 0);
const index = (id: string) => cat.indexOf.get(id) as number;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

const k: number[] = [];
const purity: number[] = [];
const trackOverlap: number[] = [];
const artistOverlap: number[] = [];
const within: number[] = [];
const between: number[] = [];
const dwNewArtists: number[] = [];
const dwLength: number[] = [];
const rrLength: number[] = [];
const rrKnown: number[] = [];
const times = { daily: [] as number[], discover: [] as number[], radar: [] as number[] };

const t0 = performance.now();
for (const [n, id] of ids.entries()) {
  const events = await listenerHistory(serving.db, id, serving.now);
  const input = { model: serving.model, catalogue: cat, events, boosts: [], now: serving.now };
  const played = new Set(events.map((e) => e.trackId));
  const playedArtists = new Set(
    [...played].map((t) => cat.indexOf.get(t)).flatMap((i) => (i === undefined ? [] : [cat.artistOf[i] as number])),
  );

  let s = performance.now();
  const mixes = await surfaces.dailyMixes(input, new PhaseTimer());
  times.daily.push(performance.now() - s);
  k.push(mixes.length);
  const tracksOf = mixes.map((m) => m.rec.items.map((it) => index(it.trackId)));
  for (const t of tracksOf) {
    const counts = new Map<number, number>();
    for (const i of t) counts.set(cat.genreOf[i] as number, (counts.get(cat.genreOf[i] as number) ?? 0) + 1);
    purity.push(Math.max(...counts.values()) / t.length);
    const e = t.map((i) => unitEmbedding(serving.model, cat, i));
    for (let a = 0; a < e.length; a++) for (let b = a + 1; b < e.length; b++) within.push(dot(e[a] as Float32Array, e[b] as Float32Array));
  }
  for (let a = 0; a < tracksOf.length; a++) {
    for (let b = a + 1; b < tracksOf.length; b++) {
      const ta = new Set(tracksOf[a]);
      const tb = tracksOf[b] as number[];
      trackOverlap.push(tb.filter((i) => ta.has(i)).length / new Set([...ta, ...tb]).size);
      const aa = new Set((tracksOf[a] as number[]).map((i) => cat.artistOf[i] as number));
      const ab = new Set(tb.map((i) => cat.artistOf[i] as number));
      artistOverlap.push([...ab].filter((x) => aa.has(x)).length / new Set([...aa, ...ab]).size);
      for (const i of tracksOf[a] as number[]) {
        for (const j of tb) between.push(dot(unitEmbedding(serving.model, cat, i), unitEmbedding(serving.model, cat, j)));
      }
    }
  }

  s = performance.now();
  const dw = await surfaces.discoverWeekly(input, new PhaseTimer());
  times.discover.push(performance.now() - s);
  if (dw.rec.coldStart === 'none') {
    dwLength.push(dw.rec.items.length);
    dwNewArtists.push(mean(dw.rec.items.map((it) => (playedArtists.has(cat.artistOf[index(it.trackId)] as number) ? 0 : 1))));
  }

  s = performance.now();
  const rr = await surfaces.releaseRadar(input, new PhaseTimer());
  times.radar.push(performance.now() - s);
  rrLength.push(rr.rec.items.length);
  if (rr.rec.items.length > 0)
    rrKnown.push(mean(rr.rec.items.map((it) => (playedArtists.has(cat.artistOf[index(it.trackId)] as number) ? 1 : 0))));

  if ((n + 1) % 20 === 0 || n + 1 === ids.length) {
    console.error(`  ${n + 1}/${ids.length} listeners (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
}

const histogram = [0, 1, 2, 3, 4, 5, 6].map((x) => `${x}: ${k.filter((v) => v === x).length}`).join(', ');
const line = (name: string, xs: number[]) =>
  `| ${name} | ${formatMs(percentile(xs, 50))} | ${formatMs(percentile(xs, 95))} | ${formatMs(Math.max(...xs))} |`;
console.log(
  [
    `Generated playlists for ${ids.length} listeners of ${persistTo} (${cat.ids.length} tracks, ${cat.genres.length} genres), the Worker's code in Node`,
    '',
    `Daily Mix: mixes per listener ${mean(k).toFixed(2)} (${histogram})`,
    `  genre purity of a mix (share of its main genre): mean ${pct(mean(purity))}, p10 ${pct(percentile(purity, 10))}`,
    `  overlap between two mixes of a listener: tracks ${pct(mean(trackOverlap))}, artists ${pct(mean(artistOverlap))} (Jaccard, ${trackOverlap.length} pairs)`,
    `  coherence: mean cosine of two tracks in one mix ${mean(within).toFixed(3)}, in two mixes ${mean(between).toFixed(3)}`,
    `Discover Weekly: ${mean(dwLength).toFixed(1)} tracks, all new to the listener; by artists new to them ${pct(mean(dwNewArtists))}`,
    `Release Radar: ${mean(rrLength).toFixed(1)} tracks (empty for ${rrLength.filter((x) => x === 0).length}); by artists the listener plays ${pct(mean(rrKnown))}`,
    '',
    '| compute per listener | p50 | p95 | max |',
    '| --- | --- | --- | --- |',
    line('all Daily Mixes', times.daily),
    line('Discover Weekly', times.discover),
    line('Release Radar', times.radar),
  ].join('\n'),
);
