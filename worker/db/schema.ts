/**
 * The one schema source for D1. Migrations in /migrations are generated from this file by
 * `npm run db:generate` (drizzle-kit); never edit a generated migration by hand.
 *
 * External ids (users, tracks, artists, events) are the client's strings: apps already hold them,
 * and keeping them as keys makes ingestion a single idempotent insert with no id lookups.
 * Times are epoch milliseconds (INTEGER) so range scans stay index-only and timezone-free.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ROLES } from '../schemas/roles.ts';

export const artists = sqliteTable('artists', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const tracks = sqliteTable(
  'tracks',
  {
    id: text('id').primaryKey(),
    artistId: text('artist_id').notNull(),
    title: text('title').notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** ISO date (YYYY-MM-DD); new-release logic compares it lexically. */
    releaseDate: text('release_date'),
    genre: text('genre'),
    /** JSON array of lower-case tags. */
    tags: text('tags').notNull().default('[]'),
    tempo: real('tempo'),
    key: integer('key'),
    mode: integer('mode'),
    energy: real('energy'),
    danceability: real('danceability'),
    valence: real('valence'),
    acousticness: real('acousticness'),
    instrumentalness: real('instrumentalness'),
    speechiness: real('speechiness'),
    liveness: real('liveness'),
    loudness: real('loudness'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('tracks_artist_idx').on(t.artistId),
    index('tracks_genre_idx').on(t.genre),
    index('tracks_release_idx').on(t.releaseDate),
    // The serving catalogue's delta read (catalogueRowsSince): new uploads reach recommendations at once.
    index('tracks_updated_idx').on(t.updatedAt),
  ],
);

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  /** IANA zone such as Europe/Berlin; the listening clock uses it when known. */
  timezone: text('timezone'),
  /** ISO 3166-1 alpha-2. */
  country: text('country'),
  firstSeenAt: integer('first_seen_at').notNull(),
});

export const events = sqliteTable(
  'events',
  {
    /** Client-generated idempotency key: a resent event is ignored by the primary key. */
    eventId: text('event_id').primaryKey(),
    userId: text('user_id').notNull(),
    trackId: text('track_id').notNull(),
    type: text('type').notNull(),
    ts: integer('ts').notNull(),
    msPlayed: integer('ms_played'),
    source: text('source'),
    surface: text('surface'),
    recId: text('rec_id'),
    position: integer('position'),
    playlistId: text('playlist_id'),
    device: text('device'),
    receivedAt: integer('received_at').notNull(),
    /**
     * The ingest request that stored the event. Its rollup delta is applied once, by batch
     * (`rollup_pending`, applied by worker/rollups/applier.ts); null for rows loaded straight into SQLite.
     */
    batchId: text('batch_id'),
  },
  (t) => [
    index('events_user_ts_idx').on(t.userId, t.ts),
    index('events_track_ts_idx').on(t.trackId, t.ts),
    index('events_ts_idx').on(t.ts),
    index('events_rec_idx').on(t.recId),
    index('events_batch_idx').on(t.batchId),
  ],
);

/** One served recommendation list. */
export const recLists = sqliteTable(
  'rec_lists',
  {
    recId: text('rec_id').primaryKey(),
    userId: text('user_id').notNull(),
    modelVersion: text('model_version'),
    /** The experiment this list was served under, and the listener's arm (`interleaved` for team draft). */
    experimentId: text('experiment_id'),
    arm: text('arm'),
    surface: text('surface'),
    /** JSON of the request context (activity, hour, …) for later analysis. */
    context: text('context'),
    servedAt: integer('served_at').notNull(),
  },
  (t) => [index('rec_lists_user_idx').on(t.userId, t.servedAt)],
);

/** One impression: a track placed at a position of a served list. */
export const recItems = sqliteTable(
  'rec_items',
  {
    recId: text('rec_id').notNull(),
    position: integer('position').notNull(),
    trackId: text('track_id').notNull(),
    userId: text('user_id').notNull(),
    score: real('score'),
    source: text('source').notNull(),
    reason: text('reason'),
    campaignId: text('campaign_id'),
    /** The editorial playlist an `editorial` slot came from. */
    playlistId: text('playlist_id'),
    /** Interleaving experiments: the arm (team) that placed this track. */
    arm: text('arm'),
    servedAt: integer('served_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.recId, t.position] }),
    index('rec_items_track_idx').on(t.trackId, t.servedAt),
    index('rec_items_served_idx').on(t.servedAt),
  ],
);

export const apiKeys = sqliteTable('api_keys', {
  /** Non-secret prefix shown in listings and used for lookup. */
  id: text('id').primaryKey(),
  /** SHA-256 (hex) of the whole key; the key itself is never stored. */
  hash: text('hash').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  name: text('name').notNull(),
  /** JSON array of artist ids the key is bound to (artist and marketer keys). */
  artistIds: text('artist_ids').notNull().default('[]'),
  createdAt: integer('created_at').notNull(),
  revokedAt: integer('revoked_at'),
});

export const models = sqliteTable('models', {
  version: text('version').primaryKey(),
  /** manifest.json as uploaded. */
  manifest: text('manifest').notNull(),
  uploadedAt: integer('uploaded_at').notNull(),
  activatedAt: integer('activated_at'),
});

/** Small key/value settings, e.g. the active model version. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull().default(sql`(unixepoch() * 1000)`),
});

/** Who did what to keys and models, for admins (`GET /v1/admin/audit`). Rows are only ever appended. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    /** The API key that acted (its non-secret id), or `root` for the bootstrap admin key. */
    actorKeyId: text('actor_key_id').notNull(),
    actorRole: text('actor_role').notNull(),
    /** One of AUDIT_ACTIONS (worker/db/audit.ts). */
    action: text('action').notNull(),
    /** What was acted on: a key id or a model version. */
    target: text('target').notNull(),
    /** JSON with what the action touched, e.g. the role and artists of a minted key. */
    detail: text('detail').notNull().default('{}'),
  },
  (t) => [index('audit_log_action_idx').on(t.action, t.id)],
);
