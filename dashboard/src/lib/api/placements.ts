/** The playlists that carried an artist's tracks over a date range (GET /v1/artists/{id}/placements). */
import type { Placements } from '../placements.ts';
import type { DateRange } from '../range.ts';
import { api, unwrap } from './client.ts';

export async function fetchPlacements(id: string, r: Pick<DateRange, 'from' | 'to'>, signal?: AbortSignal): Promise<Placements> {
  return unwrap(await api.GET('/v1/artists/{id}/placements', { params: { path: { id }, query: { from: r.from, to: r.to } }, signal }));
}
