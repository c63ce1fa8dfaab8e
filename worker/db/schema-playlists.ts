/**
 * Playlists: generated ones (Daily Mix, Discover Weekly, Release Radar) kept for the period they
 * live for, so a listener sees the same list all day or all week.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One generated playlist of one listener for one period (local day or ISO week). */
export const generatedPlaylists = sqliteTable(
  'generated_playlists',
  {
    userId: text('user_id').notNull(),
    /** `daily-mix-1` … `daily-mix-6`, `discover-weekly`, `release-radar`. */
    kind: text('kind').notNull(),
    /** `YYYY-MM-DD` (local day) or `YYYY-Www` (ISO week), in the listener's time zone. */
    period: text('period').notNull(),
    /** The served list's id: its impressions are in rec_lists / rec_items under it. */
    recId: text('rec_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    colour: text('colour').notNull(),
    modelVersion: text('model_version'),
    generatedAt: integer('generated_at').notNull(),
    /** JSON array of the items as served (track, title, artist, score, reason, source). */
    items: text('items').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.period] }), index('generated_playlists_rec_idx').on(t.recId)],
);

/**
 * An editorial playlist: made, ordered and published by editors. While published and within its
 * schedule, a slot policy can place its tracks into personalised lists of listeners in its target.
 */
export const editorialPlaylists = sqliteTable(
  'editorial_playlists',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** `draft`, `published` or `archived`. */
    status: text('status', { enum: ['draft', 'published', 'archived'] }).notNull(),
    /** JSON array of `{ track_id, added_at }`, in playlist order. */
    tracks: text('tracks').notNull().default('[]'),
    /** JSON `{ genres, countries, activities }`: empty lists match every listener. */
    target: text('target').notNull().default('{}'),
    /** 1-based position the playlist takes in personalised lists of its target; null for none. */
    slotPosition: integer('slot_position'),
    /** JSON array of surfaces the slot applies to (`home` includes lists requested without a surface). */
    slotSurfaces: text('slot_surfaces').notNull().default('["home"]'),
    startsAt: integer('starts_at'),
    endsAt: integer('ends_at'),
    /** The key that created it. */
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    publishedAt: integer('published_at'),
  },
  (t) => [index('editorial_playlists_status_idx').on(t.status)],
);
