/**
 * Press and buzz of one artist: daily mentions in articles, blogs and reviews, their velocity and
 * sentiment, the top texts and terms (GET /v1/artists/{id}/buzz). The shape is the generated OpenAPI type.
 */
import type { DateRange } from '../range.ts';
import { api, type Schemas, unwrap } from './client.ts';

export type Buzz = Schemas['ArtistBuzz'];
export type BuzzDay = Buzz['days'][number];
export type BuzzArticle = Buzz['articles'][number];

export async function fetchBuzz(id: string, r: Pick<DateRange, 'from' | 'to'>, signal?: AbortSignal): Promise<Buzz> {
  return unwrap(await api.GET('/v1/artists/{id}/buzz', { params: { path: { id }, query: { from: r.from, to: r.to } }, signal }));
}
