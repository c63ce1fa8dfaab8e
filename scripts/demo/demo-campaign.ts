/**
 * A running campaign for the marketer key, created through the public API: a segment of listeners
 * whose taste is like a roster artist's audience but who never played the artist, and a two-week
 * boost of the artist's most played track for them with a 20 % holdout. The simulator's served lists then carry the boost (or
 * not, for the holdout), so the campaign report shows lift measured on real served lists.
 */

import { openLocalD1 } from '../lib/local-d1.ts';
import { apiCall } from '../lib/local-worker.ts';

export interface DemoCampaign {
  id: string;
  segmentId: string;
  artistId: string;
  trackId: string;
  audience: { treated: number; holdout: number };
}

function topTrackOf(persistTo: string, artistId: string): string | null {
  const db = openLocalD1(persistTo);
  try {
    const row = db
      .prepare(
        `SELECT e.track_id AS id FROM events e JOIN tracks t ON t.id = e.track_id
         WHERE t.artist_id = ? AND e.type = 'play_start' GROUP BY e.track_id ORDER BY count(*) DESC LIMIT 1`,
      )
      .get(artistId) as { id: string } | undefined;
    return row?.id ?? null;
  } finally {
    db.close();
  }
}

/** Creates the demo segment and campaign; throws with the API's answer when either is refused. */
export async function createDemoCampaign(
  url: string,
  marketerKey: string,
  artist: { id: string; name: string },
  persistTo: string,
): Promise<DemoCampaign> {
  const trackId = topTrackOf(persistTo, artist.id);
  if (!trackId) throw new Error(`${artist.name} has no plays to build a campaign on`);
  // Lookalikes (similar taste, never played the artist) make an audience big enough for the loop to
  // measure lift within minutes; the engagement rule is the fallback.
  const attempts = [
    {
      name: `Sounds like ${artist.name}, never played them`,
      rule: { type: 'lookalike', artist_id: artist.id, size: 3000, window_days: 90 },
    },
    {
      name: `${artist.name}: completes but never saved`,
      rule: { type: 'completed_not_saved', artist_id: artist.id, min_completions: 1, window_days: 90 },
    },
  ];
  let segment: { status: number; body: { id: string; size: number } } = { status: 0, body: { id: '', size: 0 } };
  for (const attempt of attempts) {
    segment = await apiCall<{ id: string; size: number }>(url, marketerKey, '/v1/segments', { body: attempt });
    if (segment.status === 201 && segment.body.size > 0) break;
  }
  if (segment.status !== 201)
    throw new Error(`POST /v1/segments answered ${segment.status}: ${JSON.stringify(segment.body).slice(0, 300)}`);
  const now = Date.now();
  const campaign = await apiCall<{ id: string; audience: { treated: number; holdout: number } }>(url, marketerKey, '/v1/campaigns', {
    body: {
      name: `${artist.name}: two-week boost`,
      segment_id: segment.body.id,
      track_id: trackId,
      starts_at: new Date(now - 60_000).toISOString(),
      ends_at: new Date(now + 14 * 86_400_000).toISOString(),
      holdout_share: 0.2,
    },
  });
  if (campaign.status !== 201)
    throw new Error(`POST /v1/campaigns answered ${campaign.status}: ${JSON.stringify(campaign.body).slice(0, 300)}`);
  return { id: campaign.body.id, segmentId: segment.body.id, artistId: artist.id, trackId, audience: campaign.body.audience };
}
