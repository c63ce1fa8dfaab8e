/**
 * The closed-loop listener simulator as a library: `npm run simulate` runs it on a clock, `npm start`
 * uses it for a short warm-up so reach and conversion have served lists behind them from the start.
 */
import { openLocalD1 } from '../lib/local-d1.ts';
import { percentile } from '../lib/stats.ts';
import type { TrackTraits } from './behaviour.ts';
import { actOnList, type ServedList, traitsFromTrack } from './closed-loop.ts';
import type { DemoEvent } from './history.ts';
import { activityAt, type Listener, listener, zoneOffsetMinutes } from './listeners.ts';
import { hashSeed, Rng, sampleCumulative } from './rng.ts';
import { sendBatch } from './send-batches.ts';
import type { DemoState } from './state.ts';
import { generateWorld } from './world.ts';

/** Events a simulated session sends on average (a list of 10, 80 % acted on, 4–5 plays of two events each, a few saves). */
const EVENTS_PER_SESSION = 7;

/**
 * Sessions per second that continue the loaded world's history at `pace` times its daily volume
 * (the demo world: 750 000 events over 120 days, so pace 2 is one session every ~48 s), or null when
 * the state holds no generated world (imported data: pass --rate).
 *
 * @example historyRate(readState(file), 2) // 0.0207
 */
export function historyRate(state: DemoState | null, pace: number): number | null {
  const w = state?.world;
  if (!w || w.config.days <= 0 || w.summary.events.sent <= 0) return null;
  return (pace * w.summary.events.sent) / w.config.days / EVENTS_PER_SESSION / 86_400;
}

/** Share of sessions that start from a generated playlist rather than the home list. */
const PLAYLIST_SHARE = 0.3;
const PLAYLIST_KINDS = ['daily-mix-1', 'daily-mix-2', 'discover-weekly', 'release-radar'] as const;

export interface SimulatorStats {
  sessions: number;
  lists: number;
  /** Of the lists, those that were generated playlists. */
  playlists: number;
  ignored: number;
  plays: number;
  skips: number;
  noModel: number;
  errors: number;
  sent: number;
  latencies: number[];
}

export interface Simulator {
  stats: SimulatorStats;
  /** One listener session: ask for a list, act on it, buffer the events. */
  session(): Promise<void>;
  /** Sends the buffered events. */
  flush(): Promise<void>;
}

/**
 * @example
 * const sim = createSimulator('http://127.0.0.1:8787', appKey, readState(file));
 * await Promise.all(Array.from({ length: 50 }, () => sim.session())); await sim.flush();
 */
export function createSimulator(
  url: string,
  key: string,
  state: DemoState | null,
  opts: { limit?: number; log?: (s: string) => void } = {},
): Simulator {
  const log = opts.log ?? ((s: string) => console.error(s));
  const traits = new Map<string, TrackTraits>();
  let listenerOf: (rng: Rng) => Listener;
  // Listeners: the generated world's when there is one; otherwise the users already in the database
  // (an imported dataset), each given a taste drawn from its id.
  if (state?.world) {
    const world = generateWorld(state.world.config);
    world.tracks.forEach((t, i) => {
      traits.set(t.id, world.catalogue.traits[i]!);
    });
    // Heavy listeners open the app more often: sessions are drawn in proportion to listening activity.
    const cumulative = new Float64Array(state.world.config.users);
    let total = 0;
    for (let i = 0; i < cumulative.length; i++) {
      total += world.listener(i).activity;
      cumulative[i] = total;
    }
    listenerOf = (rng) => world.listener(sampleCumulative(cumulative, rng.next()));
  } else {
    const db = openLocalD1(state?.persistTo ?? '.wrangler/state');
    const ids = (db.prepare('SELECT id FROM users ORDER BY id LIMIT 50000').all() as { id: string }[]).map((r) => r.id);
    db.close();
    if (ids.length === 0) throw new Error('No listeners in the database yet: load the demo world or import a dataset first.');
    listenerOf = (rng) => {
      const id = ids[rng.int(ids.length)]!;
      return { ...listener('imported', hashSeed(id)), id };
    };
  }

  const runId = `sim-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const rng = new Rng(hashSeed(runId));
  const stats: SimulatorStats = {
    sessions: 0,
    lists: 0,
    playlists: 0,
    ignored: 0,
    plays: 0,
    skips: 0,
    noModel: 0,
    errors: 0,
    sent: 0,
    latencies: [],
  };
  let buffer: DemoEvent[] = [];
  let warnedMissing = false;
  const auth = { authorization: `Bearer ${key}` };

  const learnTraits = (ids: string[]) =>
    Promise.all(
      ids
        .filter((id) => !traits.has(id))
        .map(async (id) => {
          const res = await fetch(`${url}/v1/tracks/${encodeURIComponent(id)}`, { headers: auth });
          if (res.ok) traits.set(id, traitsFromTrack((await res.json()) as Parameters<typeof traitsFromTrack>[0]));
          else await res.body?.cancel();
        }),
    );

  return {
    stats,
    async session() {
      const n = stats.sessions++;
      const l = listenerOf(rng);
      const now = Date.now();
      const local = new Date(now + zoneOffsetMinutes(l.timezone, now) * 60_000);
      const activity = activityAt(rng, l, local.getUTCHours(), local.getUTCDay());
      const q = new URLSearchParams({
        limit: String(opts.limit ?? 10),
        surface: 'home',
        hour: String(local.getUTCHours()),
        weekday: String(local.getUTCDay()),
      });
      if (activity !== 'none') q.set('activity', activity);
      const t0 = performance.now();
      // Some sessions start from a generated playlist, as listeners do; a mix they do not have falls back to home.
      const kind = rng.chance(PLAYLIST_SHARE) ? (PLAYLIST_KINDS[rng.int(PLAYLIST_KINDS.length)] as string) : null;
      let res = kind ? await fetch(`${url}/v1/users/${encodeURIComponent(l.id)}/playlists/${kind}`, { headers: auth }) : null;
      if (res && res.status === 404) {
        await res.body?.cancel();
        res = null;
      }
      const fromPlaylist = res !== null;
      res ??= await fetch(`${url}/v1/users/${encodeURIComponent(l.id)}/recommendations?${q}`, { headers: auth });
      if (!fromPlaylist) stats.latencies.push(performance.now() - t0);
      if (res.status === 503) {
        stats.noModel++;
        await res.body?.cancel();
        return;
      }
      if (!res.ok) {
        if (res.status === 404 && !warnedMissing) {
          warnedMissing = true;
          log('GET /v1/users/:id/recommendations answers 404: this Worker has no recommendations endpoint');
        }
        stats.errors++;
        await res.body?.cancel();
        return;
      }
      const list = (await res.json()) as ServedList;
      if (fromPlaylist) stats.playlists++;
      stats.lists++;
      await learnTraits(list.items.map((i) => i.track_id));
      const s = actOnList(rng, l, activity, list, (id) => traits.get(id), Date.now(), `${runId}-${n}`);
      if (s.ignored) stats.ignored++;
      stats.plays += s.plays;
      stats.skips += s.skips;
      buffer.push(...s.events);
    },
    async flush() {
      while (buffer.length > 0) {
        const batch = buffer.slice(0, 500);
        buffer = buffer.slice(500);
        try {
          stats.sent += (await sendBatch(url, key, 'POST', '/v1/events', 'events', batch, 3)).accepted;
        } catch (err) {
          stats.errors++;
          log(String(err));
        }
      }
    },
  };
}

/** One status line: sessions, plays, skip rate, latency of the recommendations endpoint. */
export function describeStats(stats: SimulatorStats): string {
  const skipRate = stats.plays ? ((100 * stats.skips) / stats.plays).toFixed(1) : '-';
  const latency = (p: number) => (stats.latencies.length ? percentile(stats.latencies, p) : 0).toFixed(0);
  return (
    `sessions ${stats.sessions}  lists ${stats.lists} (playlists ${stats.playlists})  ignored ${stats.ignored}  plays ${stats.plays}  skip rate ${skipRate}%  events sent ${stats.sent}  ` +
    `recs p50 ${latency(50)} ms p95 ${latency(95)} ms` +
    `${stats.noModel ? `  no model yet ×${stats.noModel}` : ''}${stats.errors ? `  errors ${stats.errors}` : ''}`
  );
}
