import { createRoute } from '@hono/zod-openapi';
import { DAY_MS } from '../../contract/events.ts';
import { allow } from '../auth/scope.ts';
import { createDb } from '../db/client.ts';
import { importServedLists } from '../db/recs.ts';
import { markDaysStale } from '../db/rollups.ts';
import { errorResponse } from '../schemas/error.ts';
import { ServedListsImportResultSchema, ServedListsImportSchema } from '../schemas/served-lists.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const adminServedLists = newRouter();

adminServedLists.openapi(
  createRoute({
    ...allow('admin'),
    method: 'post',
    path: '/',
    operationId: 'importServedLists',
    tags: ['Admin'],
    summary: 'Backfill lists served before Backbeat logged them',
    description:
      'Up to 200 lists of up to 100 items: each becomes a served list with its impressions (rec_lists, rec_items), as if Backbeat had served it at `served_at`, so reach, impressions and conversion have the history the plays sent with its `rec_id` already have. Idempotent by `rec_id` (a list stored before is left as it is). The days the lists cover are marked for a rollup recompute (the scheduled refresh, or POST /v1/admin/analytics/refresh).',
    security: bearerAuth,
    request: { body: { required: true, content: { 'application/json': { schema: ServedListsImportSchema } } } },
    responses: {
      200: { description: 'Stored', content: { 'application/json': { schema: ServedListsImportResultSchema } } },
      400: errorResponse('An invalid list (details.issues name the field); nothing is stored'),
      403: errorResponse('Only admin keys backfill'),
    },
  }),
  async (c) => {
    const { lists } = c.req.valid('json');
    const db = createDb(c.env.DB);
    const stored = await importServedLists(
      db,
      lists.map((l) => ({
        recId: l.rec_id,
        userId: l.user_id,
        modelVersion: null,
        surface: l.surface,
        context: JSON.stringify({ imported: true }),
        servedAt: l.served_at,
        items: l.items.map((it) => ({
          trackId: it.track_id,
          score: it.score ?? null,
          source: it.source,
          reason: it.reason ?? null,
          campaignId: null,
        })),
      })),
    );
    const days = lists.map((l) => Math.floor(l.served_at / DAY_MS));
    await markDaysStale(db, Math.min(...days), Math.max(...days), Date.now());
    return c.json({ accepted: lists.length, stored, duplicates: lists.length - stored, rejected: [] }, 200);
  },
);
