import { createRoute } from '@hono/zod-openapi';
import { DAY_MS } from '../../contract/events.ts';
import { hotWindowDays } from '../archive/hot-window.ts';
import { allow } from '../auth/scope.ts';
import { createDb } from '../db/client.ts';
import { insertEvents } from '../db/events.ts';
import { pokeRollups } from '../rollups/applier.ts';
import { EventBatchSchema, EventSchema, IngestResultSchema, MAX_EVENTS_PER_BATCH } from '../schemas/event.ts';
import { batchResponses, batchStatus, readBatch } from './batch.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const events = newRouter();

const ingestRoute = createRoute({
  ...allow('app', 'admin'),
  method: 'post',
  path: '/',
  operationId: 'ingestEvents',
  tags: ['Events'],
  summary: 'Send a batch of listening events',
  description:
    'Up to 500 events and 1 MB per request. Each event is validated on its own: valid events are stored ' +
    'even when others in the batch are rejected (answer 207), and a resent event_id is never counted twice. ' +
    'A 2xx answer means the accepted events are durably stored; they show in analytics within seconds ' +
    '(every analytics answer says `as_of`). App keys may send events up to `EVENTS_HOT_DAYS` (35) days old: ' +
    'older ones are rejected with code `too_old`, since their day may already be archived and a resend could not ' +
    'be recognised. Admin keys may backfill older history (imports), deduplicated against the hot window only.',
  security: bearerAuth,
  request: { body: { content: { 'application/json': { schema: EventBatchSchema } }, required: true } },
  responses: batchResponses(IngestResultSchema, 'event', 'events'),
});

// The route is documented with the strict batch schema but validated event by event, so it is
// registered for the OpenAPI document and handled by a plain handler.
// The gate runs in front of the plain handler; the document gets the rest (with its x-roles).
const { middleware: gate, ...documented } = ingestRoute;
events.openAPIRegistry.registerPath(documented);

events.post('/', ...gate, async (c) => {
  const principal = c.get('principal');
  const now = Date.now();
  // The dedupe window is the hot window: an app's resend always finds its original in D1.
  const windowDays = hotWindowDays(c.env);
  const oldest = principal.role === 'admin' ? Number.NEGATIVE_INFINITY : (Math.floor(now / DAY_MS) - windowDays + 1) * DAY_MS;
  const { valid, rejected } = await readBatch(c, {
    field: 'events',
    max: MAX_EVENTS_PER_BATCH,
    schema: EventSchema,
    idKey: 'event_id',
    noun: 'event',
    check: (e) =>
      e.ts >= oldest
        ? []
        : [
            {
              path: 'ts',
              code: 'too_old',
              message: `ts must be on or after ${new Date(oldest).toISOString()} (the ${windowDays}-day window)`,
            },
          ],
  });
  const { stored } = await insertEvents(createDb(c.env.DB), valid, now);
  if (stored > 0) c.executionCtx.waitUntil(pokeRollups(c.env));
  const body = { accepted: valid.length, stored, duplicates: valid.length - stored, rejected };
  return c.json(body, batchStatus(rejected));
});
