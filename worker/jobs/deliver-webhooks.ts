import { createDb } from '../db/client.ts';
import type { DeliveryMessage } from '../insights/alerts.ts';
import { attemptDelivery } from '../insights/deliver.ts';
import type { QueueConsumer } from './job.ts';

/** The queue of wrangler.toml's `[[queues.consumers]]` this consumer reads. */
export const WEBHOOK_QUEUE = 'backbeat-webhooks';

/**
 * Webhook deliveries, one message each: signs and POSTs the stored payload (worker/insights/deliver.ts).
 * A failure is retried by the queue after an exponential backoff (30 s, 1 min, 2 min, 4 min); after
 * the fifth attempt the delivery is marked failed, which is the dead-letter list
 * (`GET /v1/artists/{id}/webhooks/deliveries?status=failed`), and the message is acknowledged. D1
 * holds the attempt count, so a message the queue redelivers never adds an attempt it did not make.
 */
export const deliverWebhooks: QueueConsumer = {
  name: 'deliver-webhooks',
  async consume(batch, { env, log }) {
    const deps = { db: createDb(env.DB), fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init), now: Date.now };
    for (const message of batch.messages) {
      const body = message.body as Partial<DeliveryMessage> | null;
      if (typeof body?.delivery_id !== 'string') {
        log.warn('malformed webhook message dropped', { messageId: message.id });
        message.ack();
        continue;
      }
      try {
        const outcome = await attemptDelivery(deps, body.delivery_id);
        if (outcome.kind === 'retry') {
          log.info('webhook delivery failed; retrying', { deliveryId: body.delivery_id, ...outcome });
          message.retry({ delaySeconds: outcome.delaySeconds });
        } else {
          if (outcome.kind === 'dead') log.warn('webhook delivery dead-lettered', { deliveryId: body.delivery_id, ...outcome });
          message.ack();
        }
      } catch (err) {
        // D1 itself failed: nothing was recorded, so the queue's own retry makes the same attempt again.
        log.error('webhook delivery could not run', err, { deliveryId: body.delivery_id });
        message.retry({ delaySeconds: 30 });
      }
    }
  },
};
