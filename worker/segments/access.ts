import type { Context } from 'hono';
import { assertArtistAccess, type Principal, requireRole } from '../auth/principal.ts';
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

/**
 * The segment, if the key's roster covers its artist: 403 otherwise, 404 when unknown. Segments and
 * campaigns both open segments through here.
 */
export async function openSegment(c: Context<AppEnv>, db: Db, id: string): Promise<SegmentRow> {
  const principal = marketer(c);
  const segment = await findSegment(db, id);
  if (!segment) throw new ApiError(404, 'segment_not_found', `No segment with id ${id}`);
  assertArtistAccess(principal, segment.artistId);
  return segment;
}
