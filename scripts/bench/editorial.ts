/**
 * npm run bench:editorial [-- --sessions 1500] [--state .wrangler/state-serving] [--bundle DIR]
 *
 * What editorial slots cost (or bring) in the simulator's terms: the closed-loop listeners of the
 * demo (scripts/demo/closed-loop.ts: they play, skip and save by how well each track fits their taste
 * and the moment) act on home lists made by the Worker's own code in Node, each session twice: without
 * editorial slots and with the demo's (scripts/demo/demo-editorial.ts: "<Genre> Essentials" at slot 3
 * for that genre's listeners, "Workout Power" at slot 5 of workout requests). The two arms share the
 * listener, the moment and the random draws, so their difference is the slots' alone. Runs on the
 * 50 000-track world `npm run bench:recs` loads.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { actOnList, traitsFromTrack } from '../demo/closed-loop.ts';
import { editorialTrackPicks } from '../demo/demo-editorial.ts';
import { activityAt } from '../demo/listeners.ts';
import { Rng } from '../demo/rng.ts';
import { BENCH_WORLD, generateWorld } from '../demo/world.ts';
import { ROOT } from '../lib/local-worker.ts';
import { servingInProcess } from '../lib/recs-in-process.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1500' },
    state: { type: 'string', default: '.wrangler/state-serving' },
    bundle: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});

const sessions = Number(values.sessions);
if (!Number.isInteger(sessions) || sessions < 10 || sessions > 20_000) throw new Error('--sessions must be an integer from 10 to 20 000');
const persistTo = values.state as string;
const bundleDir = values.bundle ?? join(persistTo, 'bench-bundle');
if (!existsSync(join(ROOT, persistTo)) || !existsSync(join(bundleDir, 'manifest.json'))) {
  throw new Error(`${persistTo} holds no loaded world and bundle: run npm run bench:recs first (it loads and trains them, resumably)`);
}

// The world bench:recs loaded (the same seed and sizes: its listeners and tracks, with their traits).
const world = generateWorld({ ...BENCH_WORLD, end: Date.UTC(2026, 10, 24) });
const traits = new Map(world.tracks.map((t) => [t.id, traitsFromTrack(t as Parameters<typeof traitsFromTrack>[0])]));

console.error('choosing the editorial playlists from the loaded plays …');
const picks = editorialTrackPicks(persistTo);
const [genre = ''] = picks.genres;
interface Slot {
  playlistId: string;
  title: string;
  position: number;
  trackIds: string[];
  genres: string[];
  activities: string[];
}
const slots: Slot[] = [
  { playlistId: 'ed-essentials', title: `${genre} Essentials`, position: 3, trackIds: picks.essentials, genres: [genre], activities: [] },
  { playlistId: 'ed-workout', title: 'Workout Power', position: 5, trackIds: picks.workout, genres: [], activities: ['workout'] },
];

console.error(`loading the bundle and the catalogue view from ${persistTo} …`);
const serving = await servingInProcess(persistTo, bundleDir);
const { listenerHistory } = (await serving.worker('db/recs.ts')) as {
  listenerHistory: (db: unknown, id: string, now: number) => Promise<unknown[]>;
};
const { recommend, DEFAULT_OPTIONS } = (await serving.worker('recs/recommend.ts')) as {
  recommend: (input: unknown, opts: unknown, timer: unknown) => Promise<{ items: Array<{ trackId: string; source: string }> }>;
  DEFAULT_OPTIONS: Record<string, number>;
};
const { PhaseTimer } = (await serving.worker('recs/timing.ts')) as { PhaseTimer: new () => unknown };

interface Tally {
  impressions: number;
  plays: number;
  streams: number;
  skips: number;
  saves: number;
  /** Per-session streams, for the paired difference. */
  perSession: number[];
}
const tally = (): Tally => ({ impressions: 0, plays: 0, streams: 0, skips: 0, saves: 0, perSession: [] });
const arms = { off: tally(), on: tally() };
const editorialItems = { impressions: 0, streams: 0, skips: 0, plays: 0 };
let slotted = 0;

const rng = new Rng(Number(values.seed));
const t0 = performance.now();
for (let s = 0; s < sessions; s++) {
  const l = world.listener(rng.int(world.config.users));
  const hour = rng.int(24);
  const weekday = rng.int(7);
  const activity = activityAt(rng, l, hour, weekday);
  const events = await listenerHistory(serving.db, l.id, serving.now);
  const context = { hour, weekday, ...(activity === 'none' ? {} : { activity }) };
  const options = { ...DEFAULT_OPTIONS, limit: 10, context, exclude: [], excludeArtists: [], seedArtists: [], seedGenres: [] };
  const input = { model: serving.model, catalogue: serving.catalogue, events, boosts: [], now: serving.now };
  const off = await recommend(input, options, new PhaseTimer());
  const on = await recommend({ ...input, editorial: slots }, options, new PhaseTimer());
  if (on.items.some((it) => it.source === 'editorial')) slotted++;
  const actSeed = rng.int(2 ** 31);
  for (const [arm, list] of [
    ['off', off],
    ['on', on],
  ] as const) {
    const served = { rec_id: `bench-${s}`, items: list.items.map((it) => ({ track_id: it.trackId, source: it.source })) };
    const session = actOnList(new Rng(actSeed), l, activity, served, (id) => traits.get(id), serving.now, `bench-${arm}-${s}`);
    const t = arms[arm];
    t.impressions += list.items.length;
    let streams = 0;
    for (const e of session.events) {
      if (e.type === 'play_start') t.plays++;
      if ((e.type === 'play_end' || e.type === 'skip') && (e.ms_played ?? 0) >= 30_000) streams++;
      if (e.type === 'skip' && (e.ms_played ?? 0) < 30_000) t.skips++;
      if (e.type === 'save') t.saves++;
      if (arm === 'on') {
        const item = list.items[e.context?.position ?? -1];
        if (item?.source === 'editorial') {
          if (e.type === 'play_start') editorialItems.plays++;
          if ((e.type === 'play_end' || e.type === 'skip') && (e.ms_played ?? 0) >= 30_000) editorialItems.streams++;
          if (e.type === 'skip' && (e.ms_played ?? 0) < 30_000) editorialItems.skips++;
        }
      }
    }
    t.streams += streams;
    t.perSession.push(streams);
  }
  editorialItems.impressions += on.items.filter((it) => it.source === 'editorial').length;
  if ((s + 1) % 250 === 0 || s + 1 === sessions)
    console.error(`  ${s + 1}/${sessions} sessions (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const diffs = arms.on.perSession.map((x, k) => x - (arms.off.perSession[k] as number));
const meanDiff = diffs.reduce((a, b) => a + b, 0) / diffs.length;
const sdDiff = Math.sqrt(diffs.reduce((a, b) => a + (b - meanDiff) ** 2, 0) / Math.max(1, diffs.length - 1));
const row = (name: string, t: Tally) =>
  `| ${name} | ${t.impressions} | ${pct(t.streams / t.impressions)} | ${pct(t.plays ? t.skips / t.plays : 0)} | ${((1000 * t.saves) / t.impressions).toFixed(1)} |`;
console.log(
  [
    `Closed-loop listeners on home lists of 10 (the Worker's code in Node, ${persistTo}), ${sessions} sessions, each served both ways; ${slotted} got an editorial pick`,
    `Playlists: "${slots[0]?.title}" (${slots[0]?.trackIds.length} tracks, slot 3, ${genre} listeners), "Workout Power" (${slots[1]?.trackIds.length} tracks, slot 5, workout requests)`,
    '',
    '| arm | impressions | conversion (streams ÷ impressions) | skip rate | saves per 1 000 impressions |',
    '| --- | --- | --- | --- | --- |',
    row('editorial slots off', arms.off),
    row('editorial slots on', arms.on),
    '',
    `Streams per session, on − off (paired): ${meanDiff.toFixed(4)} ± ${(1.96 * (sdDiff / Math.sqrt(diffs.length))).toFixed(4)} (95 % interval)`,
    `The editorial picks themselves: ${editorialItems.impressions} impressions, conversion ${pct(editorialItems.streams / Math.max(1, editorialItems.impressions))}, skip rate ${pct(editorialItems.plays ? editorialItems.skips / editorialItems.plays : 0)}`,
  ].join('\n'),
);
