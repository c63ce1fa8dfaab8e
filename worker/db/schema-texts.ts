/**
 * Trends from text: articles, blog posts and reviews (one row per text id, so a resend adds nothing),
 * the catalogue artists and tracks each one mentions, and the descriptive terms it uses about them
 * (candidate tags, source `text`, kept apart from `tracks.tags`, which the catalogue upload owns).
 */
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const texts = sqliteTable(
  'texts',
  {
    id: text('id').primaryKey(),
    url: text('url').notNull(),
    /** Publication, blog or site name as sent. */
    source: text('source').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    publishedAt: integer('published_at').notNull(),
    /** UTC epoch day of published_at: the buzz series groups by it. */
    day: integer('day').notNull(),
    /** Whole-text sentiment in [-1, 1] (wink-nlp). */
    sentiment: real('sentiment').notNull(),
    receivedAt: integer('received_at').notNull(),
    /** The request that stored the text: its mentions and terms are written only for texts it stored. */
    batchId: text('batch_id').notNull(),
  },
  (t) => [index('texts_batch_idx').on(t.batchId)],
);

export const textMentions = sqliteTable(
  'text_mentions',
  {
    textId: text('text_id').notNull(),
    /** artist | track */
    entityKind: text('entity_kind').notNull(),
    entityId: text('entity_id').notNull(),
    /** The artist mentioned, or the track's artist: what the buzz of an artist reads. */
    artistId: text('artist_id').notNull(),
    /** Denormalised from texts.day so the per-artist series is one index range. */
    day: integer('day').notNull(),
    /** Accepted occurrences in title + body. */
    occurrences: integer('occurrences').notNull(),
    /** The linker's confidence in (0, 1): the best occurrence's. */
    confidence: real('confidence').notNull(),
    /** Mean sentiment of the sentences holding the mentions, in [-1, 1]. */
    sentiment: real('sentiment').notNull(),
  },
  (t) => [primaryKey({ columns: [t.textId, t.entityKind, t.entityId] }), index('text_mentions_artist_day_idx').on(t.artistId, t.day)],
);

export const textTags = sqliteTable(
  'text_tags',
  {
    textId: text('text_id').notNull(),
    entityKind: text('entity_kind').notNull(),
    entityId: text('entity_id').notNull(),
    tag: text('tag').notNull(),
    /** Always `text` today; a column so these rows can sit beside tags of other origins later. */
    source: text('source').notNull().default('text'),
    /** The term's share of the descriptive terms this text uses near the entity, in (0, 1]. */
    weight: real('weight').notNull(),
  },
  (t) => [primaryKey({ columns: [t.textId, t.entityKind, t.entityId, t.tag] }), index('text_tags_entity_idx').on(t.entityKind, t.entityId)],
);
