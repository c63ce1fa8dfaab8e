import { runningMemberships } from '../db/campaigns.ts';
import type { Db } from '../db/client.ts';

/** One campaign that applies to a user right now. */
export interface ActiveBoost {
  campaignId: string;
  trackId: string;
  /** false: the user is in the campaign's holdout and must be served as if there were no campaign. */
  treated: boolean;
}

/**
 * Campaigns running at `now` whose frozen audience contains `userId`, for the recommender.
 * Boost the track only when `treated`; holdout users are returned too so callers can log exposure
 * without boosting. Boosted items carry reason `campaign` and the campaign id on impressions.
 *
 * @example
 * const boosts = await activeBoostsForUser(db, 'u-42', Date.now());
 * // [{ campaignId: 'cmp_…', trackId: 't-1001', treated: true }]
 */
export async function activeBoostsForUser(db: Db, userId: string, now: number): Promise<ActiveBoost[]> {
  const rows = await runningMemberships(db, userId, now);
  return rows.map((r) => ({ campaignId: r.campaignId, trackId: r.trackId, treated: r.treated === 1 }));
}
