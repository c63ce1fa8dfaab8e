/**
 * Listening-history imports: the listens the matcher could not place in the catalogue, one row per
 * listen under its deterministic event id (so a re-import adds nothing), kept to count once their
 * track arrives or the matcher improves.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const importUnmatched = sqliteTable(
  'import_unmatched',
  {
    /** The id the listen's play event would have (worker/imports/events.ts importEventId). */
    eventId: text('event_id').primaryKey(),
    userId: text('user_id').notNull(),
    /** spotify, apple_music, lastfm, youtube_music. */
    platform: text('platform').notNull(),
    trackName: text('track_name').notNull(),
    artistName: text('artist_name').notNull(),
    isrc: text('isrc'),
    platformTrackId: text('platform_track_id'),
    ts: integer('ts').notNull(),
    msPlayed: integer('ms_played'),
    importedAt: integer('imported_at').notNull(),
  },
  (t) => [index('import_unmatched_user_idx').on(t.userId, t.ts)],
);
