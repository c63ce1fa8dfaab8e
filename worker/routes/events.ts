import { createRoute } from '@hono/zod-openapi';
import { requireRole } from '../auth/principal.ts';
import { createDb } from '../db/client.ts';
import { insertEvents } from '../db/events.ts';
import { ApiError } from '../errors.ts';
import { validateEach } from '../schemas/batch.ts';
import { ErrorSchema } from '../schemas/error.ts';
import { EventBatchSchema, EventSchema, IngestResultSchema, MAX_EVENTS_PER_BATCH } from '../schemas/event.ts';
import { batchItems, readJsonBody } from './json-body.ts';
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
  responses: {
    200: { description: 'Every event accepted', content: { 'application/json': { schema: IngestResultSchema } } },
    207: { description: 'Some events rejected; the others are stored', content: { 'application/json': { schema: IngestResultSchema } } },
    400: { description: 'Malformed body or batch size', content: { 'application/json': { schema: ErrorSchema } } },
    422: { description: 'No event in the batch is valid', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

// The route is documented with the strict batch schema but validated event by event, so it is
// registered for the OpenAPI document and handled by a plain handler.
events.openAPIRegistry.registerPath(ingestRoute);

events.post('/', async (c) => {
  requireRole(c.get('principal'), 'app', 'admin');
  const items = batchItems(await readJsonBody(c), 'events', MAX_EVENTS_PER_BATCH);
  const { valid, rejected } = validateEach(items, EventSchema, 'events', 'event_id');
  const rejectedOut = rejected.map((r) => ({ index: r.index, event_id: r.id, errors: r.errors }));
  if (valid.length === 0) {
    throw new ApiError(422, 'all_events_rejected', 'No event in the batch is valid', { rejected: rejectedOut });
  }
  const { stored } = await insertEvents(createDb(c.env.DB), valid, Date.now());
  const body = { accepted: valid.length, stored, duplicates: valid.length - stored, rejected: rejectedOut };
  return c.json(body, rejected.length > 0 ? 207 : 200);
});
