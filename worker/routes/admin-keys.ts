import { createRoute, z } from '@hono/zod-openapi';
import { generateKey, sha256Hex } from '../auth/key-material.ts';
import { ROLES } from '../auth/principal.ts';
import { allow } from '../auth/scope.ts';
import { insertApiKey, listApiKeys, revokeApiKey } from '../db/api-keys.ts';
import { recordAudit } from '../db/audit.ts';
import { createDb } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../schemas/error.ts';
import { Id } from '../schemas/event.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const adminKeys = newRouter();

const KeySchema = z
  .object({
    id: z.string().openapi({ description: 'Non-secret key id (the prefix of the key)' }),
    role: z.enum(ROLES),
    name: z.string(),
    artist_ids: z.array(z.string()),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiKey');

const CreateKeySchema = z
  .strictObject({
    role: z.enum(ROLES),
    name: z.string().trim().min(1).max(100),
    artist_ids: z
      .array(Id)
      .max(1000)
      .optional()
      .openapi({ description: 'Required for artist and marketer keys: the artists (or roster) the key may read' }),
  })
  .superRefine((v, ctx) => {
    const bound = v.role === 'artist' || v.role === 'marketer';
    if (bound && (!v.artist_ids || v.artist_ids.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['artist_ids'], message: `A ${v.role} key must be bound to at least one artist` });
    }
    if (!bound && v.artist_ids && v.artist_ids.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['artist_ids'], message: `A ${v.role} key is not bound to artists` });
    }
  })
  .openapi('CreateKey');

function present(row: {
  id: string;
  role: (typeof ROLES)[number];
  name: string;
  artistIds: string[];
  createdAt: number;
  revokedAt: number | null;
}) {
  return {
    id: row.id,
    role: row.role,
    name: row.name,
    artist_ids: row.artistIds,
    created_at: new Date(row.createdAt).toISOString(),
    revoked_at: row.revokedAt === null ? null : new Date(row.revokedAt).toISOString(),
  };
}

adminKeys.openapi(
  createRoute({
    ...allow('admin'),
    method: 'post',
    path: '/',
    operationId: 'createApiKey',
    tags: ['Admin'],
    summary: 'Mint an API key',
    description: 'The key is in this answer only; it is stored as a SHA-256 hash and cannot be shown again.',
    security: bearerAuth,
    request: { body: { content: { 'application/json': { schema: CreateKeySchema } }, required: true } },
    responses: {
      201: { description: 'The new key', content: { 'application/json': { schema: KeySchema.extend({ key: z.string() }) } } },
      400: errorResponse('Invalid request'),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const { id, key } = generateKey();
    const db = createDb(c.env.DB);
    const now = Date.now();
    const row = await insertApiKey(db, {
      id,
      hash: await sha256Hex(key),
      role: body.role,
      name: body.name,
      artistIds: [...new Set(body.artist_ids ?? [])],
      now,
    });
    await recordAudit(db, c.get('principal'), 'key.mint', row.id, { role: row.role, name: row.name, artist_ids: row.artistIds }, now);
    return c.json({ ...present(row), key }, 201);
  },
);

adminKeys.openapi(
  createRoute({
    ...allow('admin'),
    method: 'get',
    path: '/',
    operationId: 'listApiKeys',
    tags: ['Admin'],
    summary: 'List API keys (never their secrets)',
    security: bearerAuth,
    responses: {
      200: { description: 'Keys, newest first', content: { 'application/json': { schema: z.object({ keys: z.array(KeySchema) }) } } },
    },
  }),
  async (c) => c.json({ keys: (await listApiKeys(createDb(c.env.DB))).map(present) }, 200),
);

adminKeys.openapi(
  createRoute({
    ...allow('admin'),
    method: 'delete',
    path: '/{id}',
    operationId: 'revokeApiKey',
    tags: ['Admin'],
    summary: 'Revoke an API key',
    description: 'Takes effect on the next request. Revoking a revoked key is a no-op.',
    security: bearerAuth,
    request: { params: z.object({ id: Id }) },
    responses: {
      200: { description: 'The revoked key', content: { 'application/json': { schema: KeySchema } } },
      404: errorResponse('No such key'),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const db = createDb(c.env.DB);
    const now = Date.now();
    const row = await revokeApiKey(db, id, now);
    if (!row) throw new ApiError(404, 'key_not_found', `No API key with id ${id}`);
    // Revoking a revoked key changes nothing, so it is not recorded again.
    if (row.revokedAt === now) await recordAudit(db, c.get('principal'), 'key.revoke', row.id, { role: row.role, name: row.name }, now);
    return c.json(present(row), 200);
  },
);
