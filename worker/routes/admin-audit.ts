import { createRoute, z } from '@hono/zod-openapi';
import { allow } from '../auth/scope.ts';
import { AUDIT_ACTIONS, listAudit } from '../db/audit.ts';
import { createDb } from '../db/client.ts';
import { errorResponse } from '../schemas/error.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const adminAudit = newRouter();

const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string().openapi({ example: '2026-12-02T21:14:03.120Z' }),
    actor: z.object({
      key_id: z.string().openapi({ description: 'Non-secret id of the key that acted; `root` for the bootstrap admin key' }),
      role: z.string(),
    }),
    action: z.enum(AUDIT_ACTIONS),
    target: z.string().openapi({ description: 'The key id or model version acted on' }),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

const AuditQuery = z.object({
  action: z.enum(AUDIT_ACTIONS).optional(),
  before: z.coerce.number().int().min(1).optional().openapi({ description: 'Page on: the `next_before` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

adminAudit.openapi(
  createRoute({
    ...allow('admin'),
    method: 'get',
    path: '/',
    operationId: 'listAuditEntries',
    tags: ['Admin'],
    summary: 'Read the audit log',
    description: 'Key minting and revocation, model uploads and activations: who (which key), when, and what. Newest first.',
    security: bearerAuth,
    request: { query: AuditQuery },
    responses: {
      200: {
        description: 'One page of entries',
        content: {
          'application/json': {
            schema: z.object({ entries: z.array(AuditEntrySchema), next_before: z.number().int().nullable() }),
          },
        },
      },
      400: errorResponse('Invalid query'),
      403: errorResponse('Only admin keys read the audit log'),
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const rows = await listAudit(createDb(c.env.DB), q);
    const entries = rows.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      actor: { key_id: r.actorKeyId, role: r.actorRole },
      action: r.action,
      target: r.target,
      detail: r.detail,
    }));
    return c.json({ entries, next_before: rows.length === q.limit ? (rows.at(-1)?.id ?? null) : null }, 200);
  },
);
