import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../auth/principal.ts';
import { allow } from '../auth/scope.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const me = newRouter();

me.openapi(
  createRoute({
    ...allow(...ROLES),
    method: 'get',
    path: '/',
    operationId: 'getMe',
    tags: ['Keys'],
    summary: 'Who am I: the calling key, its role and bound artists',
    security: bearerAuth,
    responses: {
      200: {
        description: 'The calling key',
        content: {
          'application/json': {
            schema: z.object({
              key_id: z.string(),
              role: z.enum(ROLES),
              artist_ids: z.array(z.string()),
              artists: z.array(z.object({ id: z.string(), name: z.string().nullable() })).openapi({
                description: 'The bound artists with their names, in one answer (null for an artist not in the catalogue yet)',
              }),
            }),
          },
        },
      },
    },
  }),
  async (c) => {
    const p = c.get('principal');
    const names = new Map<string, string>();
    if (p.artistIds.length > 0) {
      const { results } = await c.env.DB.prepare('SELECT id, name FROM artists WHERE id IN (SELECT value FROM json_each(?1))')
        .bind(JSON.stringify(p.artistIds))
        .all<{ id: string; name: string }>();
      for (const r of results) names.set(r.id, r.name);
    }
    return c.json(
      {
        key_id: p.keyId,
        role: p.role,
        artist_ids: [...p.artistIds],
        artists: p.artistIds.map((id) => ({ id, name: names.get(id) ?? null })),
      },
      200,
    );
  },
);
