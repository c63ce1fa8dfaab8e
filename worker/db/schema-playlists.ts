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
