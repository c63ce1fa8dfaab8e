import type { AudioFeature } from '../../contract/audio-features.ts';
import type { SegmentRule } from '../schemas/segment-rules.ts';
import type { Db } from './client.ts';

type RuleOf<T extends SegmentRule['type']> = Extract<SegmentRule, { type: T }>;

async function userIds(db: Db, sql: string, args: unknown[]): Promise<string[]> {
  const { results } = await db.$client
    .prepare(sql)
    .bind(...args)
    .all<{ userId: string }>();
  return results.map((r) => r.userId);
}

/** Completed ≥ N plays since `fromDay` and never saved any of the artist's tracks. */
export function completedNotSaved(db: Db, rule: RuleOf<'completed_not_saved'>, fromDay: number): Promise<string[]> {
  return userIds(
    db,
    `SELECT user_id AS userId FROM artist_user_daily WHERE artist_id = ?1 GROUP BY user_id
     HAVING sum(CASE WHEN day >= ?2 THEN completions ELSE 0 END) >= ?3 AND sum(saves) = 0 ORDER BY user_id`,
    [rule.artist_id, fromDay, rule.min_completions],
  );
}

/** ≥ N streams in [activeFrom, lapsedFrom) and none since `lapsedFrom`. */
export function lapsed(db: Db, rule: RuleOf<'lapsed'>, activeFrom: number, lapsedFrom: number): Promise<string[]> {
  return userIds(
    db,
    `SELECT user_id AS userId FROM artist_user_daily WHERE artist_id = ?1 AND day >= ?2 GROUP BY user_id
     HAVING sum(CASE WHEN day < ?3 THEN streams ELSE 0 END) >= ?4 AND sum(CASE WHEN day >= ?3 THEN streams ELSE 0 END) = 0
     ORDER BY user_id`,
    [rule.artist_id, activeFrom, lapsedFrom, rule.min_streams],
  );
}

/** ≥ N streams since `fromDay` and ≥ M net saves of the artist's tracks, ever. */
export function superListeners(db: Db, rule: RuleOf<'super_listeners'>, fromDay: number): Promise<string[]> {
  return userIds(
    db,
    `SELECT user_id AS userId FROM artist_user_daily WHERE artist_id = ?1 GROUP BY user_id
     HAVING sum(CASE WHEN day >= ?2 THEN streams ELSE 0 END) >= ?3 AND sum(saves - unsaves) >= ?4 ORDER BY user_id`,
    [rule.artist_id, fromDay, rule.min_streams, rule.min_saves],
  );
}

/** Users who streamed the artist since `fromDay`, and users who ever played it. */
export async function artistListeners(db: Db, artistId: string, fromDay: number): Promise<{ recent: string[]; everPlayed: Set<string> }> {
  const [recent, ever] = await Promise.all([
    userIds(db, 'SELECT DISTINCT user_id AS userId FROM artist_user_daily WHERE artist_id = ?1 AND day >= ?2 AND streams > 0', [
      artistId,
      fromDay,
    ]),
    userIds(db, 'SELECT DISTINCT user_id AS userId FROM artist_user_daily WHERE artist_id = ?1 AND plays > 0', [artistId]),
  ]);
  return { recent, everPlayed: new Set(ever) };
}

/** One user's streams of one genre, with the mean `features` of those streams (null when unknown). */
export interface GenreListening<F extends AudioFeature> {
  userId: string;
  genre: string | null;
  streams: number;
  means: Record<F, number | null>;
}

/** An artist as taste vectors see it: the genre most of its tracks carry, and its tracks' mean `features`. */
export interface ArtistProfile<F extends AudioFeature> {
  genre: string | null;
  means: Record<F, number | null>;
}

/**
 * Every artist's profile, from the catalogue (two grouped reads of `tracks`, tens of milliseconds
 * for 30 000 tracks). Ties between genres go to the first alphabetically.
 */
export async function artistProfiles<F extends AudioFeature>(db: Db, features: readonly F[]): Promise<Map<string, ArtistProfile<F>>> {
  const means = features.map((f) => `avg(${f}) AS ${f}`).join(', ');
  const [{ results: featureRows }, { results: genreRows }] = await Promise.all([
    db.$client
      .prepare(`SELECT artist_id AS artistId, ${means} FROM tracks GROUP BY artist_id`)
      .all<{ artistId: string } & Record<F, number | null>>(),
    db.$client
      .prepare(
        'SELECT artist_id AS artistId, genre, count(*) AS n FROM tracks WHERE genre IS NOT NULL GROUP BY artist_id, genre ORDER BY artist_id, n DESC, genre',
      )
      .all<{ artistId: string; genre: string; n: number }>(),
  ]);
  const genreOf = new Map<string, string>();
  for (const r of genreRows) if (!genreOf.has(r.artistId)) genreOf.set(r.artistId, r.genre);
  return new Map(
    featureRows.map((r) => [
      r.artistId,
      {
        genre: genreOf.get(r.artistId) ?? null,
        means: Object.fromEntries(features.map((f): [string, number | null] => [f, r[f]])) as Record<F, number | null>,
      },
    ]),
  );
}

/** Rows per page of `listenerArtistStreams`: each page is one statement of a few milliseconds. */
export const TASTE_PAGE_ROWS = 2_000;

/**
 * One page of every listener's streams per artist since `fromDay`, in (user, artist) order after
 * `after`, from the artist_user_daily rollup (the applier keeps it). A caller walks the pages with
 * an await between them, so no statement holds the database for long: D1 runs one statement at a
 * time, and the year of raw events the lookalike once read in one statement held every other
 * request for seconds (README, "Heavy work and the database").
 */
export async function listenerArtistStreams(
  db: Db,
  fromDay: number,
  after: { userId: string; artistId: string } | null,
  limit = TASTE_PAGE_ROWS,
): Promise<{ userId: string; artistId: string; streams: number }[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT user_id AS userId, artist_id AS artistId, sum(streams) AS streams FROM artist_user_daily
       WHERE (user_id, artist_id) > (?1, ?2) AND day >= ?3 AND streams > 0
       GROUP BY user_id, artist_id ORDER BY user_id, artist_id LIMIT ?4`,
    )
    .bind(after?.userId ?? '', after?.artistId ?? '', fromDay, limit)
    .all<{ userId: string; artistId: string; streams: number }>();
  return results;
}

export interface SegmentRow {
  id: string;
  name: string;
  artistId: string;
  rule: string;
  createdBy: string;
  createdAt: number;
}

export async function insertSegment(db: Db, s: SegmentRow): Promise<void> {
  await db.$client
    .prepare('INSERT INTO segments (id, name, artist_id, rule, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(s.id, s.name, s.artistId, s.rule, s.createdBy, s.createdAt)
    .run();
}

const SEGMENT_COLUMNS = 'id, name, artist_id AS artistId, rule, created_by AS createdBy, created_at AS createdAt';

export function findSegment(db: Db, id: string): Promise<SegmentRow | null> {
  return db.$client.prepare(`SELECT ${SEGMENT_COLUMNS} FROM segments WHERE id = ?1`).bind(id).first<SegmentRow>();
}

/** Segments over the given artists (null: every segment, for admins), newest first. */
export async function listSegments(db: Db, artistIds: readonly string[] | null): Promise<SegmentRow[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT ${SEGMENT_COLUMNS} FROM segments
       WHERE ?1 IS NULL OR artist_id IN (SELECT value FROM json_each(?1)) ORDER BY created_at DESC, id`,
    )
    .bind(artistIds === null ? null : JSON.stringify(artistIds))
    .all<SegmentRow>();
  return results;
}
