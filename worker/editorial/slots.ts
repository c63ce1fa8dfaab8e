/**
 * Which editorial slots apply to one recommendation request. The published, slotted playlists are
 * read at most every SLOTS_TTL_MS per isolate (an edit in this isolate is seen at once, elsewhere
 * within the TTL), so a recommendation does not query them every time. Here the schedule, the
 * surface and the listener's country are checked; the listener's genres and the request's activity
 * by recommend(), which knows the taste.
 */
import type { Db } from '../db/client.ts';
import { type EditorialRow, slottedEditorial } from '../db/editorial.ts';
import type { EditorialSlot } from '../recs/recommend.ts';

export const SLOTS_TTL_MS = 30_000;

let cached: { rows: EditorialRow[]; readAt: number } | null = null;

/** The published playlists with a slot, from D1 at most every SLOTS_TTL_MS in this isolate. */
export async function slottedPlaylists(db: Db, now: number): Promise<EditorialRow[]> {
  if (cached && now - cached.readAt < SLOTS_TTL_MS) return cached.rows;
  const rows = await slottedEditorial(db);
  cached = { rows, readAt: now };
  return rows;
}

/** Makes this isolate see an editorial change at once (the others notice within the TTL). */
export function forgetSlottedPlaylists(): void {
  cached = null;
}

/** Lists requested without a surface count as `home`. */
export const DEFAULT_SURFACE = 'home';

export function slotsForRequest(
  rows: readonly EditorialRow[],
  request: { surface: string | null; country: string | null; now: number },
): EditorialSlot[] {
  const surface = request.surface ?? DEFAULT_SURFACE;
  return rows.flatMap((r) => {
    if ((r.startsAt !== null && r.startsAt > request.now) || (r.endsAt !== null && r.endsAt <= request.now)) return [];
    if (!r.slot?.surfaces.includes(surface)) return [];
    if (r.target.countries.length > 0 && (request.country === null || !r.target.countries.includes(request.country))) return [];
    return [
      {
        playlistId: r.id,
        title: r.title,
        position: r.slot.position,
        trackIds: r.tracks.map((t) => t.track_id),
        genres: r.target.genres,
        activities: r.target.activities,
      },
    ];
  });
}
