/**
 * What a listener sees: their generated playlists (Daily Mix 1…k, Discover Weekly, Release Radar)
 * and radio stations. App and admin keys only. Shapes are the generated OpenAPI types.
 *
 * Reading a playlist is what the listener's app does: a list not generated yet this period is
 * generated now (and its impressions logged), then served unchanged for the rest of the period.
 */
import { api, type Schemas, unwrap } from './client.ts';

export type PlaylistList = Schemas['PlaylistList'];
export type PlaylistSummary = PlaylistList['playlists'][number];
export type Playlist = Schemas['Playlist'];
export type PlaylistTrack = Playlist['items'][number];

export async function fetchPlaylists(userId: string): Promise<PlaylistList> {
  return unwrap(await api.GET('/v1/users/{userId}/playlists', { params: { path: { userId } } }));
}

export async function fetchPlaylist(userId: string, kind: string): Promise<Playlist> {
  return unwrap(await api.GET('/v1/users/{userId}/playlists/{kind}', { params: { path: { userId, kind } } }));
}

/** A station that starts from `trackId`, for this listener. */
export async function fetchRadio(userId: string, trackId: string): Promise<Playlist> {
  return unwrap(await api.GET('/v1/users/{userId}/radio', { params: { path: { userId }, query: { track: trackId } } }));
}
