/**
 * Everything that is not a request, dispatched from one place: `scheduled()` by cron, `queue()` by
 * queue name. A job logs and never throws out of the dispatcher, so one failing job never stops the
 * ones after it; the next tick retries.
 */
import { logger } from '../log.ts';
import { AUDIO_QUEUE, analyseAudio } from './analyse-audio.ts';
import { archiveColdDays } from './archive-cold-days.ts';
import { deliverWebhooks, WEBHOOK_QUEUE } from './deliver-webhooks.ts';
import { detectAlertsJob } from './detect-alerts.ts';
import type { Job, QueueConsumer } from './job.ts';
import { refreshRollups } from './refresh-rollups.ts';

/** The jobs of each cron of wrangler.toml's `[triggers]`, run in order. */
export const CRON_JOBS: Readonly<Record<string, readonly Job[]>> = {
  // Rollups first: the archive only moves days whose rollups are current.
  '* * * * *': [refreshRollups, archiveColdDays],
  // Daily, once yesterday is complete: unusual days become alerts and their webhook deliveries are queued.
  '30 0 * * *': [refreshRollups, detectAlertsJob],
};

/** The consumer of each queue of wrangler.toml's `[[queues.consumers]]`, by queue name. */
export const QUEUE_CONSUMERS: Readonly<Record<string, QueueConsumer>> = {
  [WEBHOOK_QUEUE]: deliverWebhooks,
  [AUDIO_QUEUE]: analyseAudio,
};

/** Runs one job, logging its failure instead of throwing. Returns whether it succeeded. */
export async function runJob(job: Job, env: Env, now: number): Promise<boolean> {
  const log = logger({ job: job.name, scheduledTime: now });
  try {
    await job.run({ env, now, log });
    return true;
  } catch (err) {
    log.error('job failed', err);
    return false;
  }
}

export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const jobs = CRON_JOBS[controller.cron];
  if (!jobs) {
    logger({ job: 'scheduled' }).error(`no jobs for cron '${controller.cron}'`, undefined, { crons: Object.keys(CRON_JOBS) });
    return;
  }
  for (const job of jobs) await runJob(job, env, controller.scheduledTime);
}

export async function queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const consumer = QUEUE_CONSUMERS[batch.queue];
  const log = logger({ job: consumer?.name ?? `queue:${batch.queue}` });
  if (!consumer) {
    // Retried, not acknowledged: the messages wait (and reach the dead-letter queue) instead of being lost.
    log.error(`no consumer for queue '${batch.queue}'`, undefined, { messages: batch.messages.length });
    batch.retryAll();
    return;
  }
  try {
    await consumer.consume(batch, { env, now: Date.now(), log });
  } catch (err) {
    log.error('batch failed; retrying it', err, { messages: batch.messages.length });
    batch.retryAll();
  }
}
