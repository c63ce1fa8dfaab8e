import { z } from '@hono/zod-openapi';
import { Id } from './event.ts';
import { csv, MAX_LIMIT, REC_SOURCES } from './recommendations.ts';

/** Tracks in a radio station. */
export const RADIO_TRACKS = 50;

export const PlaylistItemSchema = z.object({
  position: z.number().int().openapi({ description: 'Send it back with rec_id on plays from this playlist' }),
  track_id: z.string(),
  title: z.string(),
  artist_id: z.string(),
  artist_name: z.string(),
  score: z.number().openapi({ description: "The model's score; comparable within one playlist" }),
  reason: z.string().openapi({ example: 'one of your favourites' }),
  source: z.enum(REC_SOURCES),
});

const PlaylistFields = {
  kind: z.string().openapi({ example: 'daily-mix-1' }),
  surface: z.enum(['daily_mix', 'discover_weekly', 'release_radar', 'radio']).openapi({
    description: 'The surface its impressions are logged on (analytics break reach and conversion down by it)',
  }),
  title: z.string().openapi({ example: 'Synthwave Mix' }),
  description: z.string(),
  colour: z.string().openapi({ example: '#1e3264', description: 'Cover colour' }),
  period: z.string().nullable().openapi({
    example: '2026-W49',
    description:
      "What the list is kept for, in the listener's time zone: the local day (YYYY-MM-DD) or the ISO week (YYYY-Www); null when generated per request",
  }),
  rec_id: z.string().openapi({ description: 'Send it back as context.rec_id (with position) on plays from this playlist' }),
};

export const PlaylistSchema = z
  .object({
    ...PlaylistFields,
    user_id: z.string(),
    model_version: z.string().nullable(),
    generated_at: z.string().openapi({ description: 'When the list was generated (ISO 8601)' }),
    cold_start: z.enum(['none', 'seeds', 'popular']).openapi({
      description: 'none: personal (kept for its period); popular: the listener has no history yet (generated per request)',
    }),
    items: z.array(PlaylistItemSchema),
  })
  .openapi('Playlist');

export const PlaylistListSchema = z
  .object({
    user_id: z.string(),
    playlists: z.array(z.object({ ...PlaylistFields, tracks: z.number().int(), href: z.string() })),
    radio: z
      .string()
      .openapi({ description: 'Where a station from a track or an artist is served', example: '/v1/users/u-42/radio?track={track_id}' }),
  })
  .openapi('PlaylistList');

export const PlaylistParams = z.object({
  userId: Id.openapi({ param: { name: 'userId', in: 'path' }, example: 'u-42' }),
  kind: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      param: { name: 'kind', in: 'path' },
      example: 'discover-weekly',
      description: 'daily-mix-1 … daily-mix-6, discover-weekly or release-radar',
    }),
});

export const RadioQuerySchema = z
  .object({
    track: Id.optional().openapi({ description: 'Start the station from this track', example: 't-611' }),
    artist: Id.optional().openapi({ description: 'Or from this artist (their most streamed track leads)' }),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(RADIO_TRACKS).openapi({ description: 'Items to return (1..100)' }),
    familiar: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .openapi({ description: "Share of slots for the listener's own favourites that fit the station" }),
    exclude: csv('track ids to leave out'),
    exclude_artists: csv('artist ids whose tracks are left out'),
  })
  .superRefine((q, ctx) => {
    if ((q.track === undefined) === (q.artist === undefined)) {
      ctx.addIssue({ code: 'custom', path: [q.track === undefined ? 'track' : 'artist'], message: 'Give exactly one of track or artist' });
    }
  });
