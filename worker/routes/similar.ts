import { createRoute, z } from '@hono/zod-openapi';
import { allow } from '../auth/scope.ts';
import { createDb } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { servingState } from '../recs/serving-state.ts';
import { similarArtists, similarTracks } from '../recs/similar.ts';
import { errorResponse } from '../schemas/error.ts';
import { Id } from '../schemas/event.ts';
import { SimilarSchema } from '../schemas/recommendations.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

/** Similar tracks and artists from the active model's embeddings; mounted at /v1. */
export const similar = newRouter();

const query = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) });
const responses = (what: string) =>
  ({
    200: { description: `Most similar ${what}s, best first`, content: { 'application/json': { schema: SimilarSchema } } },
    400: errorResponse('Invalid parameters'),
    403: errorResponse('Only app and admin keys'),
    404: errorResponse(`No such ${what}`),
    503: errorResponse('No model is active yet'),
  }) as const;

similar.openapi(
  createRoute({
    ...allow('app', 'admin'),
    method: 'get',
    path: '/tracks/{id}/similar',
    operationId: 'getSimilarTracks',
    tags: ['Recommendations'],
    summary: 'Tracks similar to a track',
    description: "Cosine similarity of the model's item embeddings; tracks without plays are placed by the content model.",
    security: bearerAuth,
    request: { params: z.object({ id: Id }), query },
    responses: responses('track'),
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { limit } = c.req.valid('query');
    const { model, catalogue } = await servingState(createDb(c.env.DB), c.env.MODELS, Date.now(), (p) => c.executionCtx.waitUntil(p));
    const index = catalogue.indexOf.get(id);
    if (index === undefined || catalogue.listed[index] !== 1) throw new ApiError(404, 'track_not_found', `No track with id ${id}`);
    const items = similarTracks(model, catalogue, index, limit).map((s) => ({
      id: catalogue.ids[s.index] as string,
      name: `${catalogue.titles[s.index]} — ${catalogue.artistNames[catalogue.artistOf[s.index] as number]}`,
      similarity: Math.round(s.similarity * 1e4) / 1e4,
    }));
    return c.json({ model_version: model.version, items }, 200);
  },
);

similar.openapi(
  createRoute({
    ...allow('app', 'admin'),
    method: 'get',
    path: '/artists/{id}/similar',
    operationId: 'getSimilarArtists',
    tags: ['Recommendations'],
    summary: 'Artists similar to an artist',
    description: "Cosine similarity of the artists' mean track embeddings.",
    security: bearerAuth,
    request: { params: z.object({ id: Id }), query },
    responses: responses('artist'),
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { limit } = c.req.valid('query');
    const { model, catalogue } = await servingState(createDb(c.env.DB), c.env.MODELS, Date.now(), (p) => c.executionCtx.waitUntil(p));
    const artist = catalogue.artistIndex.get(id);
    if (artist === undefined) throw new ApiError(404, 'artist_not_found', `No artist with id ${id}`);
    const items = similarArtists(model, catalogue, artist, limit).map((s) => ({
      id: catalogue.artistIds[s.index] as string,
      name: catalogue.artistNames[s.index] as string,
      similarity: Math.round(s.similarity * 1e4) / 1e4,
    }));
    return c.json({ model_version: model.version, items }, 200);
  },
);
