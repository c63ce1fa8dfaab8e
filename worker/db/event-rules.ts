/**
 * contract/events.ts's rules spelled in SQL, once, for every query that counts plays: rollups,
 * catalogue popularity, segments, campaigns, placements and editorial stats. `e` is the alias of the
 * events table ('' for none). The predicates may be NULL when a column is (wrap them in coalesce
 * where a NOT NULL count needs 0).
 */
import { COMPLETION_SHARE, PLAY_TYPES, SKIP_BEFORE_MS, STREAM_MIN_MS } from '../../contract/events.ts';

const col = (e: string, name: string): string => (e ? `${e}.${name}` : name);
const PLAY_LIST = PLAY_TYPES.map((t) => `'${t}'`).join(', ');

/** One play: an event that closes a listen (`play_end` or `skip`). */
export const playSql = (e: string): string => `${col(e, 'type')} IN (${PLAY_LIST})`;

/** A stream: a play of at least 30 s, however it ended. */
export const streamSql = (e: string): string => `${playSql(e)} AND ${col(e, 'ms_played')} >= ${STREAM_MIN_MS}`;

/** A completion: a play reaching 90 % of `duration` (the SQL expression of the track's duration). */
export const completionSql = (e: string, duration: string): string =>
  `${playSql(e)} AND ${col(e, 'ms_played')} >= ${COMPLETION_SHARE} * ${duration}`;

/** A counted skip: a `skip` before 30 s. */
export const countedSkipSql = (e: string): string => `${col(e, 'type')} = 'skip' AND ${col(e, 'ms_played')} < ${SKIP_BEFORE_MS}`;
