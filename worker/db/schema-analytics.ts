/**
 * Analytics, audiences and campaigns tables.
 *
 * Rollups are pure functions of the raw `events` and `rec_items`. They are kept current by deltas:
 * each ingest request's new rows are added once, by batch id (`rollup_pending`,
 * worker/db/rollups.ts, applied by worker/rollups/applier.ts). What a delta cannot express (a track uploaded after its events, a
 * track moved to another artist, a new duration or time zone) marks whole days, which are re-derived
 * from the raw rows (worker/db/rollups.ts). Days are epoch days (`floor(ts / 86 400 000)`), UTC.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Days to re-derive from the raw rows, marked by catalogue and profile changes (and by admins after
 * loading rows straight into the database). `version` grows on every new mark so a refresh only
 * clears the mark it has seen; `marked_at` (first mark) bounds how fresh reads of the day are.
 */
export const analyticsDirtyDays = sqliteTable('analytics_dirty_days', {
  day: integer('day').primaryKey(),
  version: integer('version').notNull().default(1),
  markedAt: integer('marked_at').notNull().default(0),
});

/**
 * Ingest requests (`kind` events) and served lists (`kind` impressions, batch id = rec_id) stored
 * but not yet added to the rollups. Written in the same transaction as the rows; deleted in the
 * same transaction that adds their delta, which makes applying a delta exactly-once.
 */
export const rollupPending = sqliteTable(
  'rollup_pending',
  {
    batchId: text('batch_id').primaryKey(),
    kind: text('kind', { enum: ['events', 'impressions'] }).notNull(),
    receivedAt: integer('received_at').notNull(),
    /** Set when applying the delta failed; the batch is retried by the admin refresh. */
    error: text('error'),
  },
  (t) => [index('rollup_pending_received_idx').on(t.receivedAt)],
);

/** Additive per-track counters for one day; sums over days are exact. */
export const trackDaily = sqliteTable(
  'track_daily',
  {
    trackId: text('track_id').notNull(),
    day: integer('day').notNull(),
    artistId: text('artist_id').notNull(),
    /** max(play_starts, plays): a play that ended was started, even if its play_start was lost. */
    playsStarted: integer('plays_started').notNull(),
    /** play_start events as counted; kept so plays_started can be maintained by deltas. */
    playStarts: integer('play_starts').notNull().default(0),
    plays: integer('plays').notNull(),
    streams: integer('streams').notNull(),
    completions: integer('completions').notNull(),
    skips: integer('skips').notNull(),
    msPlayed: integer('ms_played').notNull(),
    saves: integer('saves').notNull(),
    unsaves: integer('unsaves').notNull(),
    playlistAdds: integer('playlist_adds').notNull(),
    playlistRemoves: integer('playlist_removes').notNull(),
    shares: integer('shares').notNull(),
    impressions: integer('impressions').notNull(),
    algorithmicStreams: integer('algorithmic_streams').notNull(),
  },
  // The day index serves the refresh (delete a whole day); the others serve reads.
  (t) => [
    primaryKey({ columns: [t.trackId, t.day] }),
    index('track_daily_artist_day_idx').on(t.artistId, t.day),
    index('track_daily_day_idx').on(t.day),
  ],
);

/**
 * Per-track breakdowns for one day: `dim` is `source` (streams by context.source), `surface`
 * (impressions, streams and saves by surface) or `skip_decile` (skips by tenth of the track reached).
 */
export const trackDailyBreakdown = sqliteTable(
  'track_daily_breakdown',
  {
    trackId: text('track_id').notNull(),
    day: integer('day').notNull(),
    dim: text('dim').notNull(),
    key: text('key').notNull(),
    artistId: text('artist_id').notNull(),
    streams: integer('streams').notNull(),
    impressions: integer('impressions').notNull(),
    saves: integer('saves').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.trackId, t.day, t.dim, t.key] }),
    index('track_daily_breakdown_artist_idx').on(t.artistId, t.dim, t.day),
    index('track_daily_breakdown_day_idx').on(t.day),
  ],
);

/**
 * One row per (artist, user, day) with any activity or impression: distinct counts (listeners,
 * reach), new vs returning, engagement tiers and segments read it instead of raw events.
 */
export const artistUserDaily = sqliteTable(
  'artist_user_daily',
  {
    artistId: text('artist_id').notNull(),
    day: integer('day').notNull(),
    userId: text('user_id').notNull(),
    plays: integer('plays').notNull(),
    streams: integer('streams').notNull(),
    completions: integer('completions').notNull(),
    saves: integer('saves').notNull(),
    unsaves: integer('unsaves').notNull(),
    impressions: integer('impressions').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.artistId, t.day, t.userId] }),
    index('artist_user_daily_user_idx').on(t.userId, t.artistId),
    index('artist_user_daily_day_idx').on(t.day),
    // Distinct listeners and reach over long periods: user-ordered, index-only scans with no temp
    // b-tree (worker/db/analytics.ts names them with INDEXED BY).
    index('artist_user_daily_listeners_idx').on(t.artistId, t.userId, t.day).where(sql`streams > 0`),
    index('artist_user_daily_reach_idx').on(t.artistId, t.userId, t.day).where(sql`impressions > 0`),
  ],
);

/** Listeners and reach of one artist on one day (distinct within the day), for daily series. */
export const artistDaily = sqliteTable(
  'artist_daily',
  {
    artistId: text('artist_id').notNull(),
    day: integer('day').notNull(),
    listeners: integer('listeners').notNull(),
    reach: integer('reach').notNull(),
  },
  (t) => [primaryKey({ columns: [t.artistId, t.day] }), index('artist_daily_day_idx').on(t.day)],
);

/** Streams by the listener's local weekday (0 = Monday) and hour, per artist and UTC day. */
export const artistClockDaily = sqliteTable(
  'artist_clock_daily',
  {
    artistId: text('artist_id').notNull(),
    day: integer('day').notNull(),
    weekday: integer('weekday').notNull(),
    hour: integer('hour').notNull(),
    streams: integer('streams').notNull(),
  },
  (t) => [primaryKey({ columns: [t.artistId, t.day, t.weekday, t.hour] }), index('artist_clock_daily_day_idx').on(t.day)],
);

/** A saved audience: an engagement rule (JSON, see worker/segments/rules.ts) over one artist. */
export const segments = sqliteTable(
  'segments',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    artistId: text('artist_id').notNull(),
    rule: text('rule').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('segments_artist_idx').on(t.artistId)],
);

/** A boost of one track for a segment's members over [starts_at, ends_at). */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    artistId: text('artist_id').notNull(),
    trackId: text('track_id').notNull(),
    segmentId: text('segment_id').notNull(),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    holdoutShare: real('holdout_share').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('campaigns_artist_idx').on(t.artistId)],
);

/**
 * The audience frozen at launch, each member assigned once to treatment or holdout. Freezing matters:
 * re-evaluating the segment later would let the treatment itself move users in or out of it.
 */
export const campaignMembers = sqliteTable(
  'campaign_members',
  {
    campaignId: text('campaign_id').notNull(),
    userId: text('user_id').notNull(),
    treated: integer('treated').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.userId] }), index('campaign_members_user_idx').on(t.userId)],
);
