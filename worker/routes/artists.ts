import { createRoute, z } from '@hono/zod-openapi';
import { allow, assertArtistAccess } from '../auth/scope.ts';
import { findArtist } from '../db/catalogue.ts';
import { createDb } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../schemas/error.ts';
import { Id } from '../schemas/event.ts';
import { ArtistSchema } from '../schemas/track.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const artists = newRouter();

artists.openapi(
  createRoute({
    ...allow('admin', 'app', 'artist', 'marketer'),
    method: 'get',
    path: '/{id}',
    operationId: 'getArtist',
    tags: ['Catalogue'],
    summary: 'Read one artist',
    security: bearerAuth,
    request: { params: z.object({ id: Id }) },
    responses: {
      200: { description: 'The artist', content: { 'application/json': { schema: ArtistSchema } } },
      403: errorResponse('The key is not bound to this artist'),
      404: errorResponse('No such artist'),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    // Scope before lookup: a bound key learns nothing, not even existence, about other artists.
    assertArtistAccess(c.get('principal'), id);
    const artist = await findArtist(createDb(c.env.DB), id);
    if (!artist) throw new ApiError(404, 'artist_not_found', `No artist with id ${id}`);
    return c.json(
      {
        id: artist.id,
        name: artist.name,
        track_count: artist.trackCount,
        genres: artist.genres,
        created_at: new Date(artist.createdAt).toISOString(),
      },
      200,
    );
  },
);
