import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../auth/principal.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const me = newRouter();

me.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'getMe',
    tags: ['Keys'],
    summary: 'Who am I: the calling key, its role and bound artists',
    security: bearerAuth,
    responses: {
      200: {
        description: 'The calling key',
        content: { 'application/json': { schema: z.object({ key_id: z.string(), role: z.enum(ROLES), artist_ids: z.array(z.string()) }) } },
      },
    },
  }),
  (c) => {
    const p = c.get('principal');
    return c.json({ key_id: p.keyId, role: p.role, artist_ids: [...p.artistIds] }, 200);
  },
);
