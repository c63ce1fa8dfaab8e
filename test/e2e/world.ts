/**
 * A small deterministic world, written through the public API only: two artists, four tracks,
 * eight listeners and three weeks of plays, skips, saves and playlist adds from several sources,
 * so the last 7 and the last 28 days give different numbers; then a model trained on it serves lists.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainFromLocal, uploadAndActivate } from '../../scripts/demo/model-step.ts';
import { apiCall } from '../../scripts/lib/local-worker.ts';

export const ARTIST = { id: 'a-e2e-swim', name: 'Night Swimmers' };
export const OTHER_ARTIST = { id: 'a-e2e-lantern', name: 'Paper Lanterns' };
export const TRACKS = [
  { id: 't-e2e-tide', title: 'Tidal Lights', artist: ARTIST, duration_ms: 200_000 },
  { id: 't-e2e-reef', title: 'Reef at Dawn', artist: ARTIST, duration_ms: 240_000 },
  { id: 't-e2e-kelp', title: 'Kelp Forest', artist: ARTIST, duration_ms: 180_000 },
  { id: 't-e2e-paper', title: 'Folded Paper', artist: OTHER_ARTIST, duration_ms: 210_000 },
] as const;

const DAY_MS = 86_400_000;
const SOURCES = ['algorithmic', 'search', 'library', 'user_playlist', 'editorial'] as const;

type Event = Record<string, unknown>;

/** Every event of the world, timestamps relative to `now` (all in the past). */
export function worldEvents(now: number): Event[] {
  const events: Event[] = [];
  let n = 0;
  const push = (e: Event) => {
    n += 1;
    events.push({ event_id: `e2e-${n}`, ...e });
  };
  for (let day = 0; day < 21; day++) {
    // Fewer listeners further back, so the periods differ.
    const listeners = day < 7 ? 8 : 5;
    for (let u = 0; u < listeners; u++) {
      const track = TRACKS[(day + u) % TRACKS.length]!;
      const ts = now - day * DAY_MS - (u + 1) * 3_600_000;
      const source = SOURCES[(day * 3 + u) % SOURCES.length]!;
      const context = { source, surface: source === 'algorithmic' ? 'home' : 'library', device: 'web' };
      const user_id = `u-e2e-${u}`;
      push({ user_id, track_id: track.id, type: 'play_start', ts, context });
      const skipped = (day + 2 * u) % 4 === 0;
      if (skipped) {
        push({ user_id, track_id: track.id, type: 'skip', ts: ts + 12_000, ms_played: 12_000 + u * 1000, context });
      } else {
        const complete = u % 3 !== 0;
        const ms_played = complete ? track.duration_ms : 60_000;
        push({ user_id, track_id: track.id, type: 'play_end', ts: ts + ms_played, ms_played, context });
        // Only the first three listeners ever save, so 'completed but never saved' has members.
        if (u < 3 && (day + u) % 5 === 0) push({ user_id, track_id: track.id, type: 'save', ts: ts + ms_played + 1000, context });
        if ((day + u) % 7 === 1) push({ user_id, track_id: track.id, type: 'playlist_add', ts: ts + ms_played + 2000, context });
      }
      // The most loyal listener plays a second track, so streams and listeners differ.
      if (u === 0) {
        const again = TRACKS[(day + 1) % 3]!;
        push({ user_id, track_id: again.id, type: 'play_start', ts: ts + 600_000, context: { source: 'library' } });
        push({
          user_id,
          track_id: again.id,
          type: 'play_end',
          ts: ts + 600_000 + again.duration_ms,
          ms_played: again.duration_ms,
          context: { source: 'library' },
        });
      }
    }
  }
  return events;
}

/**
 * Served lists are what algorithmic impressions and reach count: every listener, and three new ones
 * who have played only the other artist (the seeded listeners have played all four tracks recently,
 * which the recommender leaves out), asks for a home list from the model trained on this world.
 */
async function serveRecommendations(url: string, adminToken: string, now: number): Promise<void> {
  const newcomers = [0, 1, 2].map((k) => `u-e2e-new-${k}`);
  const firstPlays = newcomers.map((user_id, k) => ({
    event_id: `e2e-new-${k}`,
    user_id,
    track_id: TRACKS[3].id,
    type: 'play_end',
    ts: now - (k + 1) * 60_000,
    ms_played: TRACKS[3].duration_ms,
    context: { source: 'search' },
  }));
  const r = await apiCall(url, adminToken, '/v1/events', { body: { events: firstPlays } });
  if (r.status !== 200) throw new Error(`seeding newcomers failed: ${r.status} ${JSON.stringify(r.body)}`);
  for (const user of [...Array.from({ length: 8 }, (_, u) => `u-e2e-${u}`), ...newcomers]) {
    const list = await apiCall<{ items: unknown[] }>(url, adminToken, `/v1/users/${user}/recommendations?surface=home&limit=5`);
    if (list.status !== 200) throw new Error(`recommendations for ${user} answered ${list.status}: ${JSON.stringify(list.body)}`);
  }
}

/** Trains a model with the trainer (`--from-local` on the test Worker's D1), uploads and activates it. */
export async function trainAndActivate(url: string, adminToken: string, persistTo: string): Promise<void> {
  const bundle = mkdtempSync(join(tmpdir(), 'backbeat-e2e-model-'));
  try {
    await trainFromLocal(persistTo, join(bundle, 'model'), join(bundle, 'train.log'), false);
    await uploadAndActivate(url, adminToken, join(bundle, 'model'));
  } finally {
    rmSync(bundle, { recursive: true, force: true });
  }
}

export interface SeededWorld {
  artistKey: string;
  marketerKey: string;
  campaignName: string;
}

export const SEEDED_CAMPAIGN = 'E2E boost: Tidal Lights';

/**
 * Writes the catalogue and events, trains a model on them with the trainer (`--from-local` on the
 * test Worker's D1), uploads and activates it, serves lists, and mints an artist key bound to both
 * artists.
 */
export async function seedWorld(url: string, adminToken: string, persistTo: string, now = Date.now()): Promise<SeededWorld> {
  const tracks = await apiCall(url, adminToken, '/v1/tracks', {
    method: 'PUT',
    body: { tracks: TRACKS.map((t) => ({ ...t, genre: 'dream pop', tags: ['e2e'] })) },
  });
  if (tracks.status !== 200) throw new Error(`seeding tracks failed: ${tracks.status} ${JSON.stringify(tracks.body)}`);
  const events = worldEvents(now);
  for (let i = 0; i < events.length; i += 500) {
    const r = await apiCall(url, adminToken, '/v1/events', { body: { events: events.slice(i, i + 500) } });
    if (r.status !== 200 && r.status !== 202) throw new Error(`seeding events failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
  await trainAndActivate(url, adminToken, persistTo);
  await serveRecommendations(url, adminToken, now);
  const key = await apiCall<{ key: string }>(url, adminToken, '/v1/admin/keys', {
    body: { role: 'artist', name: 'e2e artist key', artist_ids: [ARTIST.id, OTHER_ARTIST.id] },
  });
  if (key.status !== 201) throw new Error(`minting the artist key failed: ${key.status} ${JSON.stringify(key.body)}`);
  const marketer = await apiCall<{ key: string }>(url, adminToken, '/v1/admin/keys', {
    body: { role: 'marketer', name: 'e2e marketer key', artist_ids: [ARTIST.id] },
  });
  if (marketer.status !== 201) throw new Error(`minting the marketer key failed: ${marketer.status} ${JSON.stringify(marketer.body)}`);
  // A campaign that started before the seeded plays, so its report has numbers in both groups.
  const segment = await apiCall<{ id: string }>(url, marketer.body.key, '/v1/segments', {
    body: {
      name: 'E2E finished, never saved',
      rule: { type: 'completed_not_saved', artist_id: ARTIST.id, min_completions: 1, window_days: 28 },
    },
  });
  if (segment.status !== 201) throw new Error(`creating the segment failed: ${segment.status} ${JSON.stringify(segment.body)}`);
  const campaign = await apiCall(url, marketer.body.key, '/v1/campaigns', {
    body: {
      name: SEEDED_CAMPAIGN,
      segment_id: segment.body.id,
      track_id: TRACKS[0].id,
      starts_at: new Date(now - 21 * DAY_MS).toISOString(),
      ends_at: new Date(now + DAY_MS).toISOString(),
      holdout_share: 0.5,
    },
  });
  if (campaign.status !== 201) throw new Error(`creating the campaign failed: ${campaign.status} ${JSON.stringify(campaign.body)}`);
  return { artistKey: key.body.key, marketerKey: marketer.body.key, campaignName: SEEDED_CAMPAIGN };
}
