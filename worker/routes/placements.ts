/**
 * Playlist placements of an artist's tracks (Spotify for Artists' playlists table; Chartmetric's
 * Track Journey): which playlists carried them, since when, at what position, and the streams each
 * brought. Mounted under /v1/artists; the same scope as the artist's analytics.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { DAY_MS } from '../../contract/events.ts';
import { dayToIso } from '../analytics/period.ts';
import { resolveRange } from '../analytics/range.ts';
import { allow, openArtist } from '../auth/scope.ts';
import { artistTrackTitles } from '../db/catalogue.ts';
import { createDb } from '../db/client.ts';
import { listEditorial } from '../db/editorial.ts';
import { artistPlacements, type PlacementRow } from '../db/placements.ts';
import { ArtistParams, RangeQuery } from '../schemas/analytics.ts';
import { errorResponse } from '../schemas/error.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const artistPlacementsRouter = newRouter();

const GENERATED_NAMES: Record<string, string> = {
  daily_mix: 'Daily Mix',
  discover_weekly: 'Discover Weekly',
  release_radar: 'Release Radar',
  radio: 'Radio',
};

const DayIso = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const PlacementSchema = z.object({
  playlist: z.object({
    type: z.enum(['editorial', 'generated', 'user']),
    id: z.string().openapi({ description: "Editorial playlist id, the generated playlist's surface, or the app's playlist id" }),
    name: z.string().nullable().openapi({ description: 'null for listeners’ own playlists (the app sends ids only)' }),
  }),
  track: z.object({ id: z.string(), title: z.string() }),
  via: z.enum(['served', 'played', 'listed']).openapi({
    description:
      'served: placed in lists served to listeners (generated playlists, editorial slots); played: played from the playlist (context.playlist_id); listed: in a published editorial playlist, neither served nor played in the period',
  }),
  since: z.iso.datetime().openapi({ description: 'When it was added (editorial playlists), else first seen in the period' }),
  last_seen: z.iso.datetime().nullable(),
  position: z
    .number()
    .int()
    .nullable()
    .openapi({ description: '1-based: its place in the editorial playlist, else the best position it was served at' }),
  mean_position: z.number().nullable().openapi({ description: '1-based mean position where served' }),
  impressions: z.number().int(),
  listeners: z
    .number()
    .int()
    .openapi({ description: 'Distinct listeners served it (served) or who streamed it from the playlist (played)' }),
  streams: z.number().int(),
  playlist_adds: z.number().int().openapi({ description: 'Net adds to the playlist (listeners’ own playlists)' }),
});

const PlacementsSchema = z
  .object({ artist_id: z.string(), period: z.object({ from: DayIso, to: DayIso }), placements: z.array(PlacementSchema) })
  .openapi('Placements');

artistPlacementsRouter.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/{id}/placements',
    operationId: 'getArtistPlacements',
    tags: ['Artist analytics'],
    summary: "Playlists that carried the artist's tracks",
    description:
      'Editorial playlists (listed, slots, played from), generated playlists (Daily Mix, Discover Weekly, Release Radar, radio) and listeners’ own playlists (`playlist_add` and plays with `context.playlist_id`), per track: since when, at what position, listeners, impressions and the streams each brought, over `from`…`to` (UTC days, default the last 28). Most streams first.',
    security: bearerAuth,
    request: { params: ArtistParams, query: RangeQuery.pick({ from: true, to: true }) },
    responses: {
      200: { description: 'The placements', content: { 'application/json': { schema: PlacementsSchema } } },
      400: errorResponse('Invalid parameter (details.issues[].path names it)'),
      403: errorResponse('The key is not bound to this artist'),
      404: errorResponse('No such artist'),
    },
  }),
  async (c) => {
    const principal = c.get('principal');
    const { id } = c.req.valid('param');
    const range = resolveRange(c.req.valid('query'), Date.now());
    const db = createDb(c.env.DB);
    await openArtist(principal, db, id);
    const from = range.from * DAY_MS;
    const to = (range.to + 1) * DAY_MS;
    const [rows, editorial, title] = await Promise.all([
      artistPlacements(db, id, from, to),
      listEditorial(db, ['draft', 'published', 'archived']),
      artistTrackTitles(db, id),
    ]);
    const byId = new Map(editorial.map((p) => [p.id, p]));
    // Where the artist's tracks sit in published editorial playlists now.
    const listed = new Map<string, { position: number; addedAt: number }>();
    for (const p of editorial) {
      if (p.status !== 'published') continue;
      for (const [k, t] of p.tracks.entries())
        if (title.has(t.track_id)) listed.set(`${p.id}|${t.track_id}`, { position: k, addedAt: t.added_at });
    }
    const out = rows.map((r) => render(r, listed.get(`${r.playlistId}|${r.trackId}`)));
    const seen = new Set(rows.map((r) => `${r.playlistId}|${r.trackId}`));
    for (const [key, l] of listed) {
      if (seen.has(key)) continue;
      const [playlistId, trackId] = key.split('|') as [string, string];
      out.push(render(emptyRow(playlistId, trackId, l.addedAt), l, 'listed'));
    }
    function render(r: PlacementRow, l?: { position: number; addedAt: number }, via: 'served' | 'played' | 'listed' = r.via) {
      return {
        playlist: {
          type: r.type,
          id: r.playlistId,
          name:
            r.type === 'editorial'
              ? (byId.get(r.playlistId)?.title ?? null)
              : r.type === 'generated'
                ? (GENERATED_NAMES[r.playlistId] ?? r.playlistId)
                : null,
        },
        track: { id: r.trackId, title: title.get(r.trackId) ?? r.trackId },
        via,
        since: new Date(l ? l.addedAt : r.firstSeen).toISOString(),
        last_seen: via === 'listed' ? null : new Date(r.lastSeen).toISOString(),
        position: l ? l.position + 1 : r.bestPosition === null ? null : r.bestPosition + 1,
        mean_position: r.meanPosition === null ? null : r.meanPosition + 1,
        impressions: r.impressions,
        listeners: r.listeners,
        streams: r.streams,
        playlist_adds: r.adds,
      };
    }
    out.sort((a, b) => b.streams - a.streams || b.impressions - a.impressions || a.playlist.id.localeCompare(b.playlist.id));
    return c.json({ artist_id: id, period: { from: dayToIso(range.from), to: dayToIso(range.to) }, placements: out }, 200);
  },
);

function emptyRow(playlistId: string, trackId: string, at: number): PlacementRow {
  return {
    type: 'editorial',
    via: 'played',
    playlistId,
    trackId,
    firstSeen: at,
    lastSeen: at,
    bestPosition: null,
    meanPosition: null,
    impressions: 0,
    listeners: 0,
    streams: 0,
    adds: 0,
  };
}
