import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../auth/principal.ts';
import { allow, assertFoundFor } from '../auth/scope.ts';
import { findTrack, searchTracks, upsertTracks } from '../db/catalogue.ts';
import { createDb } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../schemas/error.ts';
import { Id } from '../schemas/event.ts';
import { MAX_TRACKS_PER_BATCH, TrackBatchSchema, TrackInputSchema, TrackSchema, UpsertResultSchema } from '../schemas/track.ts';
import { batchResponses, batchStatus, readBatch } from './batch.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const tracks = newRouter();

const upsertRoute = createRoute({
  ...allow('app', 'admin'),
  method: 'put',
  path: '/',
  operationId: 'upsertTracks',
  tags: ['Catalogue'],
  summary: 'Create or replace tracks and their artists',
  description: 'Up to 500 tracks a request, each validated on its own (207 when some are rejected).',
  security: bearerAuth,
  request: { body: { content: { 'application/json': { schema: TrackBatchSchema } }, required: true } },
  responses: batchResponses(UpsertResultSchema, 'track', 'tracks'),
});
// The gate runs in front of the plain handler; the document gets the rest (with its x-roles).
const { middleware: gate, ...documented } = upsertRoute;
tracks.openAPIRegistry.registerPath(documented);

tracks.put('/', ...gate, async (c) => {
  const { valid, rejected } = await readBatch(c, {
    field: 'tracks',
    max: MAX_TRACKS_PER_BATCH,
    schema: TrackInputSchema,
    idKey: 'id',
    noun: 'track',
  });
  await upsertTracks(createDb(c.env.DB), valid, Date.now());
  return c.json({ accepted: valid.length, rejected }, batchStatus(rejected));
});

tracks.openapi(
  createRoute({
    ...allow('editor', 'app', 'admin'),
    method: 'get',
    path: '/',
    operationId: 'searchTracks',
    tags: ['Catalogue'],
    summary: 'Search the catalogue',
    description:
      'Tracks whose title or artist name contains `q` (case-insensitive), titles starting with it first, then the newest releases. For editors building playlists, and apps (admin keys too).',
    security: bearerAuth,
    request: {
      query: z.object({
        q: z.string().trim().min(1).max(100).openapi({ example: 'night' }),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
    },
    responses: {
      200: {
        description: 'Matching tracks',
        content: {
          'application/json': {
            schema: z
              .object({
                tracks: z.array(
                  z.object({
                    id: z.string(),
                    title: z.string(),
                    artist: z.object({ id: z.string(), name: z.string() }),
                    genre: z.string().nullable(),
                    release_date: z.string().nullable(),
                  }),
                ),
              })
              .openapi('TrackSearch'),
          },
        },
      },
      400: errorResponse('Invalid query (details.issues name the field)'),
      403: errorResponse('Artist and marketer keys read their own tracks by id'),
    },
  }),
  async (c) => {
    const { q, limit } = c.req.valid('query');
    const hits = await searchTracks(createDb(c.env.DB), q, limit);
    return c.json(
      {
        tracks: hits.map((h) => ({
          id: h.id,
          title: h.title,
          artist: { id: h.artistId, name: h.artistName },
          genre: h.genre,
          release_date: h.releaseDate,
        })),
      },
      200,
    );
  },
);

tracks.openapi(
  createRoute({
    ...allow(...ROLES),
    method: 'get',
    path: '/{id}',
    operationId: 'getTrack',
    tags: ['Catalogue'],
    summary: 'Read one track',
    security: bearerAuth,
    request: { params: z.object({ id: Id }) },
    responses: {
      200: { description: 'The track', content: { 'application/json': { schema: TrackSchema } } },
      404: errorResponse('No such track, or a track of an artist outside the binding of the key (the same answer)'),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    const notFound = () => new ApiError(404, 'track_not_found', `No track with id ${id}`);
    const found = await findTrack(createDb(c.env.DB), id);
    // Editors build playlists from the whole catalogue. A bound key gets the same 404 for another
    // artist's track as for a missing one: no existence oracle.
    const track = principal.role === 'editor' ? found : assertFoundFor(principal, found, (t) => [t.artistId], notFound);
    if (!track) throw notFound();
    return c.json(
      {
        id: track.id,
        title: track.title,
        artist: { id: track.artistId, name: track.artistName },
        duration_ms: track.durationMs,
        release_date: track.releaseDate,
        genre: track.genre,
        tags: track.tags,
        audio_features: track.audioFeatures,
        created_at: new Date(track.createdAt).toISOString(),
        updated_at: new Date(track.updatedAt).toISOString(),
      },
      200,
    );
  },
);
