import { createRoute, z } from '@hono/zod-openapi';
import { contentDisposition, wantsCsv } from '../analytics/csv.ts';
import { allow } from '../auth/scope.ts';
import { recordAudit } from '../db/audit.ts';
import { createDb } from '../db/client.ts';
import { hasListenerData } from '../db/privacy.ts';
import { findUser, upsertUsers } from '../db/users.ts';
import { ApiError } from '../errors.ts';
import { eraseListener } from '../privacy/erase.ts';
import { exportListener } from '../privacy/export.ts';
import { errorResponse } from '../schemas/error.ts';
import { Id } from '../schemas/event.ts';
import { UpsertResultSchema } from '../schemas/track.ts';
import { MAX_USERS_PER_BATCH, UserBatchSchema, UserInputSchema } from '../schemas/user.ts';
import { batchResponses, batchStatus, readBatch } from './batch.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const users = newRouter();

const upsertRoute = createRoute({
  ...allow('app', 'admin'),
  method: 'put',
  path: '/',
  operationId: 'upsertUsers',
  tags: ['Listeners'],
  summary: 'Create or update listener profiles',
  description:
    'Up to 500 listeners a request, each validated on its own (207 when some are rejected). ' +
    'Fields left out keep their stored value. The time zone places plays on the listening clock.',
  security: bearerAuth,
  request: { body: { content: { 'application/json': { schema: UserBatchSchema } }, required: true } },
  responses: batchResponses(UpsertResultSchema, 'listener', 'listeners'),
});
// The gate runs in front of the plain handler; the document gets the rest (with its x-roles).
const { middleware: gate, ...documented } = upsertRoute;
users.openAPIRegistry.registerPath(documented);

users.put('/', ...gate, async (c) => {
  const { valid, rejected } = await readBatch(c, {
    field: 'users',
    max: MAX_USERS_PER_BATCH,
    schema: UserInputSchema,
    idKey: 'id',
    noun: 'listener',
  });
  await upsertUsers(createDb(c.env.DB), valid, Date.now());
  return c.json({ accepted: valid.length, rejected }, batchStatus(rejected));
});

const UserSchema = z
  .object({ id: z.string(), timezone: z.string().nullable(), country: z.string().nullable(), first_seen_at: z.string() })
  .openapi('User');

users.openapi(
  createRoute({
    ...allow('app', 'admin'),
    method: 'get',
    path: '/{id}/profile',
    operationId: 'getUserProfile',
    tags: ['Listeners'],
    summary: 'Read one listener profile',
    security: bearerAuth,
    request: { params: z.object({ id: Id }) },
    responses: {
      200: { description: 'The listener', content: { 'application/json': { schema: UserSchema } } },
      403: errorResponse('Only app and admin keys read listeners'),
      404: errorResponse('No such listener'),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const user = await findUser(createDb(c.env.DB), id);
    if (!user) throw new ApiError(404, 'user_not_found', `No listener with id ${id}`);
    return c.json(
      { id: user.id, timezone: user.timezone, country: user.country, first_seen_at: new Date(user.firstSeenAt).toISOString() },
      200,
    );
  },
);

const UserParams = z.object({ id: Id });

users.openapi(
  createRoute({
    ...allow('admin'),
    method: 'get',
    path: '/{id}/export',
    operationId: 'exportUser',
    tags: ['Listeners'],
    summary: 'Everything stored about a listener (GDPR Art. 15 and 20)',
    description:
      'Streamed, so a listener with years of history never sits in memory at once. JSON (`backbeat.listener-export/1`): the profile, every event (the hot window in D1, then the archived Parquet parts), served lists and their items, generated playlists, campaign memberships, unmatched imported listens, per-artist daily activity as the rollups hold it, and the saved segments the listener is in now. `?format=csv` (or `Accept: text/csv`): the events alone. Admin keys only; each export is in the audit log.',
    security: bearerAuth,
    request: { params: UserParams, query: z.object({ format: z.enum(['json', 'csv']).optional() }) },
    responses: {
      200: {
        description: 'The export, streamed',
        content: {
          'application/json': { schema: z.object({}).passthrough().openapi('ListenerExport') },
          'text/csv': { schema: z.string() },
        },
      },
      400: errorResponse('Invalid id or format'),
      403: errorResponse('Only admin keys export listeners'),
      404: errorResponse('No listener with this id has any data'),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const db = createDb(c.env.DB);
    if (!(await hasListenerData(db, id))) throw new ApiError(404, 'user_not_found', `No listener with id ${id}`);
    const format = wantsCsv(c) ? 'csv' : 'json';
    await recordAudit(db, c.get('principal'), 'user.export', id, { format }, Date.now());
    return new Response(exportListener(c.env, id, Date.now(), format), {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': contentDisposition(`listener-${id}.${format}`),
        'cache-control': 'no-store',
      },
    });
  },
);

users.openapi(
  createRoute({
    ...allow('admin'),
    method: 'delete',
    path: '/{id}',
    operationId: 'eraseUser',
    tags: ['Listeners'],
    summary: 'Erase a listener (GDPR Art. 17)',
    description:
      "Deletes the listener's events (D1 and the archive: the Parquet parts holding them are rewritten without them, written and verified before one transaction swaps them in), served lists, generated playlists, campaign memberships, unmatched imports and profile, and corrects every rollup to what it would be had the listener never listened (counts, distinct listeners, reach, the listening clock). Idempotent: a second call, or an id that never existed, gets the same 204. Admin keys only; the audit log records who, when and the rows per table. Events sent after the erasure start a new history.",
    security: bearerAuth,
    request: { params: UserParams },
    responses: {
      204: { description: 'Nothing is stored about the listener any more' },
      400: errorResponse('Invalid id'),
      403: errorResponse('Only admin keys erase listeners'),
      409: errorResponse('Another erasure is running; retry in a minute'),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const report = await eraseListener(c.env, id, Date.now());
    const erased = Object.values(report.rows).some((n) => n > 0) || report.archive.rows > 0;
    if (erased) await recordAudit(createDb(c.env.DB), c.get('principal'), 'user.erase', id, { ...report }, Date.now());
    return c.body(null, 204);
  },
);
