import type { Context } from 'hono';
import { assertFoundFor, type Principal, requireRole } from '../auth/principal.ts';
import type { Db } from '../db/client.ts';
import { findSegment, type SegmentRow } from '../db/segments.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

/** The caller, if it holds a marketer or admin key (403 otherwise). */
export function marketer(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  requireRole(principal, 'admin', 'marketer');
  return principal;
}

/** The one answer for a missing segment and for a segment of an artist outside the key's roster. */
export const segmentNotFound = (id: string) => new ApiError(404, 'segment_not_found', `No segment with id ${id}`);

/**
 * The segment, if the key's roster covers its artist; 404 otherwise, the same answer as for an
 * unknown id, so a bound key cannot tell foreign segments from missing ones. Segments and campaigns
 * both open segments through here.
 */
export async function openSegment(c: Context<AppEnv>, db: Db, id: string): Promise<SegmentRow> {
  const principal = marketer(c);
  return assertFoundFor(
    principal,
    await findSegment(db, id),
    (s) => [s.artistId],
    () => segmentNotFound(id),
  );
}
