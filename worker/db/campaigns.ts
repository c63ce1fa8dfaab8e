import type { GroupStats } from '../analytics/lift.ts';
import type { Db } from './client.ts';
import { streamSql } from './event-rules.ts';

export interface CampaignRow {
  id: string;
  name: string;
  artistId: string;
  trackId: string;
  segmentId: string;
  startsAt: number;
  endsAt: number;
  holdoutShare: number;
  createdBy: string;
  createdAt: number;
}

/** Members are written in chunks of this many per statement (one JSON parameter each). */
const MEMBER_CHUNK = 5_000;

/**
 * Stores a campaign and its frozen audience atomically.
 *
 * @example await insertCampaign(db, row, [{ userId: 'u-1', treated: true }])
 */
export async function insertCampaign(db: Db, c: CampaignRow, members: readonly { userId: string; treated: boolean }[]): Promise<void> {
  const d1 = db.$client;
  const statements = [
    d1
      .prepare(
        `INSERT INTO campaigns (id, name, artist_id, track_id, segment_id, starts_at, ends_at, holdout_share, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
      )
      .bind(c.id, c.name, c.artistId, c.trackId, c.segmentId, c.startsAt, c.endsAt, c.holdoutShare, c.createdBy, c.createdAt),
  ];
  for (let i = 0; i < members.length; i += MEMBER_CHUNK) {
    const chunk = members.slice(i, i + MEMBER_CHUNK).map((m) => [m.userId, m.treated ? 1 : 0]);
    statements.push(
      d1
        .prepare(
          `INSERT INTO campaign_members (campaign_id, user_id, treated)
           SELECT ?1, value ->> '$[0]', value ->> '$[1]' FROM json_each(?2) WHERE true`,
        )
        .bind(c.id, JSON.stringify(chunk)),
    );
  }
  await d1.batch(statements);
}

/** A stored campaign with the artists its reads are scoped by, as they are now. */
export interface ScopedCampaignRow extends CampaignRow {
  /** The artist of its segment (null: the segment is no longer stored). */
  segmentArtistId: string | null;
  /** The current artist of its track (null: the track is no longer stored). */
  trackArtistId: string | null;
}

const CAMPAIGN_COLUMNS = `c.id AS id, c.name AS name, c.artist_id AS artistId, c.track_id AS trackId, c.segment_id AS segmentId,
  c.starts_at AS startsAt, c.ends_at AS endsAt, c.holdout_share AS holdoutShare, c.created_by AS createdBy,
  c.created_at AS createdAt, s.artist_id AS segmentArtistId, t.artist_id AS trackArtistId`;
const CAMPAIGN_FROM = 'campaigns c LEFT JOIN segments s ON s.id = c.segment_id LEFT JOIN tracks t ON t.id = c.track_id';

/** Every artist a campaign touches: a bound key reads it only when its roster covers all of them. */
export const campaignArtists = (c: ScopedCampaignRow): (string | null)[] => [c.artistId, c.segmentArtistId, c.trackArtistId];

export function findCampaign(db: Db, id: string): Promise<ScopedCampaignRow | null> {
  return db.$client.prepare(`SELECT ${CAMPAIGN_COLUMNS} FROM ${CAMPAIGN_FROM} WHERE c.id = ?1`).bind(id).first<ScopedCampaignRow>();
}

/**
 * Campaigns whose own artist, segment's artist and track's artist are all among the given artists
 * (null: every campaign, for admins), newest first.
 */
export async function listCampaigns(db: Db, artistIds: readonly string[] | null): Promise<ScopedCampaignRow[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT ${CAMPAIGN_COLUMNS} FROM ${CAMPAIGN_FROM}
       WHERE ?1 IS NULL OR (c.artist_id IN (SELECT value FROM json_each(?1))
                            AND s.artist_id IN (SELECT value FROM json_each(?1))
                            AND t.artist_id IN (SELECT value FROM json_each(?1)))
       ORDER BY c.created_at DESC, c.id`,
    )
    .bind(artistIds === null ? null : JSON.stringify(artistIds))
    .all<ScopedCampaignRow>();
  return results;
}

/** The user's memberships of campaigns running at `now` (treated 1, holdout 0), oldest campaign first. */
export async function runningMemberships(
  db: Db,
  userId: string,
  now: number,
): Promise<Array<{ campaignId: string; trackId: string; treated: number }>> {
  const { results } = await db.$client
    .prepare(
      `SELECT c.id AS campaignId, c.track_id AS trackId, m.treated AS treated
       FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id
       WHERE m.user_id = ?1 AND c.starts_at <= ?2 AND c.ends_at > ?2
       ORDER BY c.starts_at, c.id`,
    )
    .bind(userId, now)
    .all<{ campaignId: string; trackId: string; treated: number }>();
  return results;
}

/** Audience size per group. */
export async function memberCounts(db: Db, campaignId: string): Promise<{ treated: number; holdout: number }> {
  const row = await db.$client
    .prepare(
      'SELECT coalesce(sum(treated), 0) AS treated, count(*) - coalesce(sum(treated), 0) AS holdout FROM campaign_members WHERE campaign_id = ?1',
    )
    .bind(campaignId)
    .first<{ treated: number; holdout: number }>();
  return row ?? { treated: 0, holdout: 0 };
}

export interface CampaignOutcome {
  treated: boolean;
  streams: GroupStats;
  saves: GroupStats;
  impressions: number;
}

/**
 * Per-group sufficient statistics of each member's streams and net saves of the boosted track in
 * [from, to), every member counted (0 for those who did nothing), plus the campaign's impressions.
 */
export async function campaignOutcomes(db: Db, c: CampaignRow, from: number, to: number): Promise<CampaignOutcome[]> {
  const { results } = await db.$client
    .prepare(
      `WITH per_user AS (
         SELECT user_id,
                sum(${streamSql('')}) AS streams,
                sum(type = 'save') - sum(type = 'unsave') AS saves
         FROM events WHERE track_id = ?2 AND ts >= ?3 AND ts < ?4 GROUP BY user_id),
       shown AS (
         SELECT user_id, count(*) AS n FROM rec_items WHERE campaign_id = ?1 AND served_at >= ?3 AND served_at < ?4 GROUP BY user_id)
       SELECT m.treated AS treated, count(*) AS n,
              coalesce(sum(p.streams), 0) AS streamsSum, coalesce(sum(p.streams * p.streams), 0) AS streamsSq,
              coalesce(sum(p.saves), 0) AS savesSum, coalesce(sum(p.saves * p.saves), 0) AS savesSq,
              coalesce(sum(s.n), 0) AS impressions
       FROM campaign_members m
       LEFT JOIN per_user p ON p.user_id = m.user_id
       LEFT JOIN shown s ON s.user_id = m.user_id
       WHERE m.campaign_id = ?1 GROUP BY m.treated`,
    )
    .bind(c.id, c.trackId, from, to)
    .all<{ treated: number; n: number; streamsSum: number; streamsSq: number; savesSum: number; savesSq: number; impressions: number }>();
  return [1, 0].map((t) => {
    const r = results.find((x) => x.treated === t);
    return {
      treated: t === 1,
      streams: { n: r?.n ?? 0, sum: r?.streamsSum ?? 0, sumSq: r?.streamsSq ?? 0 },
      saves: { n: r?.n ?? 0, sum: r?.savesSum ?? 0, sumSq: r?.savesSq ?? 0 },
      impressions: r?.impressions ?? 0,
    };
  });
}
