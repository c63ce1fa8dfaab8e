/**
 * Audio files uploaded for tracks (`PUT /v1/tracks/{id}/audio`) and their analysis: one row per track,
 * the latest upload. The file lives in the AUDIO bucket under `object_key`
 * (`audio/<track id>/<sha256>.<ext>`); the analyse-audio queue consumer fills `features` and writes the
 * catalogue's audio-feature columns of `tracks`.
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const trackAudio = sqliteTable('track_audio', {
  trackId: text('track_id').primaryKey(),
  objectKey: text('object_key').notNull(),
  /** Lower-case hex SHA-256 of the file. */
  sha256: text('sha256').notNull(),
  /** wav | mp3 | flac | ogg-vorbis, from the file's first bytes. */
  format: text('format').notNull(),
  bytes: integer('bytes').notNull(),
  /** pending | analysed | failed */
  status: text('status').notNull(),
  /** Why it failed (a stable code: corrupt, unsupported_format, codec_unavailable_in_worker, …). */
  reason: text('reason'),
  /** JSON: the analyser's whole output (catalogue features, beat strength, duration, timbre). */
  features: text('features'),
  /** Analysis attempts started for this upload: the consumer gives up after a few. */
  attempts: integer('attempts').notNull().default(0),
  uploadedAt: integer('uploaded_at').notNull(),
  analysedAt: integer('analysed_at'),
});
