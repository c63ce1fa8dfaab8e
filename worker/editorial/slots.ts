/**
 * Which editorial slots apply to one recommendation request. The schedule and status are checked by
 * the query (`activeEditorialSlots`); here the surface and the listener's country. The listener's
 * genres and the request's activity are checked by recommend(), which knows the taste.
 */
import type { EditorialRow } from '../db/editorial.ts';
import type { EditorialSlot } from '../recs/recommend.ts';

/** Lists requested without a surface count as `home`. */
export const DEFAULT_SURFACE = 'home';

export function slotsForRequest(
  rows: readonly EditorialRow[],
  request: { surface: string | null; country: string | null },
): EditorialSlot[] {
  const surface = request.surface ?? DEFAULT_SURFACE;
  return rows.flatMap((r) => {
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
