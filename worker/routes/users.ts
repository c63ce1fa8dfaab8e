import { createRoute, z } from '@hono/zod-openapi';
import { allow } from '../auth/scope.ts';
import { createDb } from '../db/client.ts';
import { findUser, upsertUsers } from '../db/users.ts';
import { ApiError } from '../errors.ts';
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
