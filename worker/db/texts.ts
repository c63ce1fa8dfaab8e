/** Trends from text: the catalogue the linker reads, text ingest, and the per-artist buzz reads. */
import type { Db } from './client.ts';

/** Every artist name and track title, as the linker (worker/text/link.ts) reads them. */
export async function catalogueForLinking(
  db: Db,
): Promise<{ artists: { id: string; name: string }[]; tracks: { id: string; title: string; artistId: string }[] }> {
  const [artists, tracks] = await db.$client.batch<Record<string, string>>([
    db.$client.prepare('SELECT id, name FROM artists'),
    db.$client.prepare('SELECT id, title, artist_id AS artistId FROM tracks'),
  ]);
  return {
    artists: (artists?.results ?? []) as { id: string; name: string }[],
    tracks: (tracks?.results ?? []) as { id: string; title: string; artistId: string }[],
  };
}

export interface TextRow {
  id: string;
  url: string;
  source: string;
  title: string;
  body: string;
  publishedAt: number;
  day: number;
  sentiment: number;
}

export interface MentionRow {
  textId: string;
  entityKind: 'artist' | 'track';
  entityId: string;
  artistId: string;
  day: number;
  occurrences: number;
  confidence: number;
  sentiment: number;
}

export interface TextTagRow {
  textId: string;
  entityKind: 'artist' | 'track';
  entityId: string;
  tag: string;
  weight: number;
}

/**
 * Stores texts with their mentions and tags in one atomic batch. The text id is the primary key, so a
 * resent text is a no-op; mentions and tags are written only for the texts this batch stored (by
 * batch_id), so a resend never adds to an earlier text's signals even if the catalogue changed since.
 * Each table is one statement over a JSON array (json_each). Returns how many texts and mentions were new.
 */
export async function insertTexts(
  db: Db,
  args: { texts: readonly TextRow[]; mentions: readonly MentionRow[]; tags: readonly TextTagRow[]; now: number },
  batchId = `tb_${crypto.randomUUID()}`,
): Promise<{ stored: number; mentions: number }> {
  if (args.texts.length === 0) return { stored: 0, mentions: 0 };
  const d1 = db.$client;
  const [inserted, mentions] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO texts (id, url, source, title, body, published_at, day, sentiment, received_at, batch_id)
         SELECT value ->> '$.id', value ->> '$.url', value ->> '$.source', value ->> '$.title', value ->> '$.body',
                value ->> '$.publishedAt', value ->> '$.day', value ->> '$.sentiment', ?2, ?3
         FROM json_each(?1) WHERE true
         ON CONFLICT (id) DO NOTHING
         RETURNING 1`,
      )
      .bind(JSON.stringify(args.texts), args.now, batchId),
    d1
      .prepare(
        `INSERT INTO text_mentions (text_id, entity_kind, entity_id, artist_id, day, occurrences, confidence, sentiment)
         SELECT value ->> '$.textId', value ->> '$.entityKind', value ->> '$.entityId', value ->> '$.artistId', value ->> '$.day',
                value ->> '$.occurrences', value ->> '$.confidence', value ->> '$.sentiment'
         FROM json_each(?1) WHERE value ->> '$.textId' IN (SELECT id FROM texts WHERE batch_id = ?2)
         ON CONFLICT DO NOTHING
         RETURNING 1`,
      )
      .bind(JSON.stringify(args.mentions), batchId),
    d1
      .prepare(
        `INSERT INTO text_tags (text_id, entity_kind, entity_id, tag, source, weight)
         SELECT value ->> '$.textId', value ->> '$.entityKind', value ->> '$.entityId', value ->> '$.tag', 'text', value ->> '$.weight'
         FROM json_each(?1) WHERE value ->> '$.textId' IN (SELECT id FROM texts WHERE batch_id = ?2)
         ON CONFLICT DO NOTHING`,
      )
      .bind(JSON.stringify(args.tags), batchId),
  ]);
  return { stored: inserted?.results.length ?? 0, mentions: mentions?.results.length ?? 0 };
}

/**
 * Per day from `from` to `to` (epoch days): texts mentioning the artist or a track of theirs, and the
 * sum of their sentiment (a text mentioning both counts once, with the mean of its mentions' sentiment).
 */
export async function mentionsByDay(
  db: Db,
  args: { artistId: string; from: number; to: number },
): Promise<{ day: number; mentions: number; sentimentSum: number }[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT day, count(*) AS mentions, sum(sentiment) AS sentimentSum FROM (
         SELECT text_id, day, avg(sentiment) AS sentiment FROM text_mentions
         WHERE artist_id = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY text_id, day
       ) GROUP BY day ORDER BY day`,
    )
    .bind(args.artistId, args.from, args.to)
    .all<{ day: number; mentions: number; sentimentSum: number }>();
  return results;
}

export interface BuzzArticleRow {
  id: string;
  url: string;
  title: string;
  source: string;
  publishedAt: number;
  occurrences: number;
  sentiment: number;
  textSentiment: number;
  /** JSON array of track ids. */
  tracks: string;
}

/** The artist's texts of the period, most occurrences first, then newest. */
export async function topArticles(db: Db, args: { artistId: string; from: number; to: number; limit: number }): Promise<BuzzArticleRow[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT t.id, t.url, t.title, t.source, t.published_at AS publishedAt, sum(m.occurrences) AS occurrences,
              avg(m.sentiment) AS sentiment, t.sentiment AS textSentiment,
              json_group_array(m.entity_id) FILTER (WHERE m.entity_kind = 'track') AS tracks
       FROM text_mentions m JOIN texts t ON t.id = m.text_id
       WHERE m.artist_id = ?1 AND m.day BETWEEN ?2 AND ?3
       GROUP BY t.id ORDER BY occurrences DESC, t.published_at DESC, t.id LIMIT ?4`,
    )
    .bind(args.artistId, args.from, args.to, args.limit)
    .all<BuzzArticleRow>();
  return results;
}

/** Descriptive terms used about the artist and their tracks in the period: summed weight and texts. */
export async function termsOfArtist(
  db: Db,
  args: { artistId: string; from: number; to: number; limit: number },
): Promise<{ term: string; weight: number; texts: number }[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT g.tag AS term, sum(g.weight) AS weight, count(DISTINCT g.text_id) AS texts
       FROM text_tags g JOIN text_mentions m ON m.text_id = g.text_id AND m.entity_kind = g.entity_kind AND m.entity_id = g.entity_id
       WHERE m.artist_id = ?1 AND m.day BETWEEN ?2 AND ?3
       GROUP BY g.tag ORDER BY weight DESC, term LIMIT ?4`,
    )
    .bind(args.artistId, args.from, args.to, args.limit)
    .all<{ term: string; weight: number; texts: number }>();
  return results;
}

/** Candidate tags of one artist or track from text, all time: summed weight over the texts that use them. */
export async function textTagsOf(
  db: Db,
  args: { entityKind: 'artist' | 'track'; entityId: string; limit: number },
): Promise<{ tag: string; weight: number; texts: number }[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT tag, sum(weight) AS weight, count(*) AS texts FROM text_tags
       WHERE entity_kind = ?1 AND entity_id = ?2 GROUP BY tag ORDER BY weight DESC, tag LIMIT ?3`,
    )
    .bind(args.entityKind, args.entityId, args.limit)
    .all<{ tag: string; weight: number; texts: number }>();
  return results;
}
