import { createRoute } from '@hono/zod-openapi';
import { requireRole } from '../auth/principal.ts';
import { createDb } from '../db/client.ts';
import { insertEvents } from '../db/events.ts';
import { EventBatchSchema, EventSchema, IngestResultSchema, MAX_EVENTS_PER_BATCH } from '../schemas/event.ts';
import { batchResponses, batchStatus, readBatch } from './batch.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const events = newRouter();

const ingestRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['Events'],
  summary: 'Send a batch of listening events',
  description:
    'Up to 500 events and 1 MB per request. Each event is validated on its own: valid events are stored ' +
    'even when others in the batch are rejected (answer 207), and a resent event_id is never counted twice. ' +
    'A 2xx answer means the accepted events are durably stored.',
  security: bearerAuth,
  request: { body: { content: { 'application/json': { schema: EventBatchSchema } }, required: true } },
  responses: batchResponses(IngestResultSchema, 'event', 'events'),
});

// The route is documented with the strict batch schema but validated event by event, so it is
// registered for the OpenAPI document and handled by a plain handler.
events.openAPIRegistry.registerPath(ingestRoute);

events.post('/', async (c) => {
  requireRole(c.get('principal'), 'app', 'admin');
  const { valid, rejected } = await readBatch(c, {
    field: 'events',
    max: MAX_EVENTS_PER_BATCH,
    schema: EventSchema,
    idKey: 'event_id',
    noun: 'event',
  });
  const { stored } = await insertEvents(createDb(c.env.DB), valid, Date.now());
  const body = { accepted: valid.length, stored, duplicates: valid.length - stored, rejected };
  return c.json(body, batchStatus(rejected));
});
