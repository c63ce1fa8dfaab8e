/**
 * Reads of the artist analytics API for one artist and date range. Shapes are the generated
 * OpenAPI types; CSV downloads ask the same endpoints with `format=csv`.
 */
import type { DateRange } from '../range.ts';
import { api, downloadCsv, type Schemas, unwrap } from './client.ts';

export type Overview = Schemas['ArtistOverview'];
export type Timeseries = Schemas['ArtistTimeseries'];
export type TrackTable = Schemas['ArtistTrackTable'];
export type TrackRow = Schemas['TrackRow'];
export type TrackDetail = Schemas['TrackDetail'];
export type Audience = Schemas['ArtistAudience'];
export type Reach = Schemas['ArtistReach'];
export type MetricName = keyof Overview['metrics'];

type Range = Pick<DateRange, 'from' | 'to'>;
const q = (r: Range) => ({ from: r.from, to: r.to });

export async function fetchOverview(id: string, r: Range, signal?: AbortSignal): Promise<Overview> {
  return unwrap(await api.GET('/v1/artists/{id}/overview', { params: { path: { id }, query: q(r) }, signal }));
}

export async function fetchTimeseries(
  id: string,
  r: Range,
  metric: MetricName,
  granularity: 'day' | 'week',
  signal?: AbortSignal,
): Promise<Timeseries> {
  return unwrap(
    await api.GET('/v1/artists/{id}/timeseries', { params: { path: { id }, query: { ...q(r), metric, granularity } }, signal }),
  );
}

export async function fetchTracks(id: string, r: Range, signal?: AbortSignal): Promise<TrackTable> {
  return unwrap(await api.GET('/v1/artists/{id}/tracks', { params: { path: { id }, query: q(r) }, signal }));
}

export async function fetchTrack(id: string, trackId: string, r: Range, signal?: AbortSignal): Promise<TrackDetail> {
  return unwrap(await api.GET('/v1/artists/{id}/tracks/{trackId}', { params: { path: { id, trackId }, query: q(r) }, signal }));
}

export async function fetchAudience(id: string, r: Range, signal?: AbortSignal): Promise<Audience> {
  return unwrap(await api.GET('/v1/artists/{id}/audience', { params: { path: { id }, query: q(r) }, signal }));
}

export async function fetchReach(id: string, r: Range, signal?: AbortSignal): Promise<Reach> {
  return unwrap(await api.GET('/v1/artists/{id}/reach', { params: { path: { id }, query: q(r) }, signal }));
}

/**
 * Downloads one of the artist's tables as CSV, named after the artist, table and range.
 * @example await downloadArtistCsv('a1', 'tracks', range) // a1-tracks-2026-10-28_2026-11-24.csv
 */
export function downloadArtistCsv(id: string, table: 'tracks' | 'audience' | 'reach' | 'overview', r: Range): Promise<void> {
  return downloadCsv(`/v1/artists/${encodeURIComponent(id)}/${table}`, { ...q(r), format: 'csv' }, `${id}-${table}-${r.from}_${r.to}.csv`);
}

/** The skip-position histogram of one track as CSV. */
export function downloadTrackCsv(id: string, trackId: string, r: Range): Promise<void> {
  return downloadCsv(
    `/v1/artists/${encodeURIComponent(id)}/tracks/${encodeURIComponent(trackId)}`,
    { ...q(r), format: 'csv' },
    `${trackId}-skip-positions-${r.from}_${r.to}.csv`,
  );
}
