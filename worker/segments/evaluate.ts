import { epochDay } from '../analytics/period.ts';
import type { Db } from '../db/client.ts';
import { rollupsAsOf } from '../db/rollups.ts';
import {
  artistListeners,
  artistProfiles,
  completedNotSaved,
  lapsed,
  listenerArtistStreams,
  superListeners,
  TASTE_PAGE_ROWS,
} from '../db/segments.ts';
import { yieldToOthers } from '../db/slices.ts';
import type { SegmentRule } from '../schemas/segment-rules.ts';
import { centroid, nearest, TASTE_FEATURE_NAMES, TasteAccumulator } from './taste.ts';

/**
 * The user ids a rule selects at `now` (windows end today, UTC), sorted, read from the rollups as
 * the applier keeps them (seconds behind ingest).
 *
 * @example await segmentMembers(db, { type: 'lapsed', artist_id: 'a-1', min_streams: 3, active_days: 90, lapsed_days: 28 }, Date.now())
 */
export async function segmentMembers(db: Db, rule: SegmentRule, now: number): Promise<string[]> {
  const today = epochDay(now);
  switch (rule.type) {
    case 'completed_not_saved': {
      const from = today - rule.window_days + 1;
      return completedNotSaved(db, rule, from);
    }
    case 'lapsed': {
      const lapsedFrom = today - rule.lapsed_days + 1;
      const activeFrom = lapsedFrom - rule.active_days;
      return lapsed(db, rule, activeFrom, lapsedFrom);
    }
    case 'super_listeners': {
      const from = today - rule.window_days + 1;
      return superListeners(db, rule, from);
    }
    case 'lookalike': {
      const from = today - rule.window_days + 1;
      const ranked = await lookalikes(db, rule.artist_id, from, rule.size);
      return ranked.map((r) => r.userId).sort();
    }
  }
}

/**
 * The members a rule selects now, and how fresh the rollups they come from are (`as_of`, ISO: every
 * event acknowledged before it is counted; rules may read all of history, so every day counts).
 */
export async function segmentSnapshot(db: Db, rule: SegmentRule, now: number): Promise<{ members: string[]; asOf: string }> {
  const [members, asOf] = await Promise.all([segmentMembers(db, rule, now), rollupsAsOf(db, { from: 0, to: epochDay(now) }, now)]);
  return { members, asOf: new Date(asOf).toISOString() };
}

/**
 * Every listener's taste vector from their streams since `fromDay`: one row per (listener, artist),
 * carrying the artist's genre and its tracks' mean features, read page by page with a yield between
 * pages (see listenerArtistStreams) and folded in as each page arrives.
 */
async function listenerTastes(db: Db, fromDay: number): Promise<Map<string, Float64Array>> {
  const profiles = await artistProfiles(db, TASTE_FEATURE_NAMES);
  const genres = [...new Set([...profiles.values()].map((p) => p.genre).filter((g): g is string => g !== null))].sort();
  const acc = new TasteAccumulator(genres);
  let after: { userId: string; artistId: string } | null = null;
  for (;;) {
    const page = await listenerArtistStreams(db, fromDay, after);
    for (const r of page) {
      const profile = profiles.get(r.artistId);
      if (profile) acc.add({ userId: r.userId, genre: profile.genre, streams: r.streams, means: profile.means });
    }
    const last = page.at(-1);
    if (!last || page.length < TASTE_PAGE_ROWS) return acc.vectors();
    after = last;
    await yieldToOthers();
  }
}

/** Users nearest to the artist's recent listeners, who never played the artist, best first. */
export async function lookalikes(db: Db, artistId: string, fromDay: number, size: number) {
  const { recent, everPlayed } = await artistListeners(db, artistId, fromDay);
  if (recent.length === 0) return [];
  const vectors = await listenerTastes(db, fromDay);
  const dims = vectors.values().next().value?.length ?? 0;
  const target = centroid(
    recent.map((u) => vectors.get(u)).filter((v): v is Float64Array => v !== undefined),
    dims,
  );
  const candidates = new Map([...vectors].filter(([u]) => !everPlayed.has(u)));
  return nearest(candidates, target, size);
}
