import { epochDay } from '../analytics/period.ts';
import { createDb } from '../db/client.ts';
import { detectAlerts } from '../insights/alerts.ts';
import type { Job } from './job.ts';

/** Complete days one run looks at: yesterday, and the day before in case a run was missed. */
const DAYS_BACK = 2;

/**
 * Daily, once yesterday is complete: every artist's unusual days (a metric outside median ± 3 MAD
 * of its own 28 days before) become alerts, and each new alert is queued to the artist's webhooks.
 * Alerts are unique per (artist, day, metric), so looking at the day before again adds only what a
 * missed run left out.
 */
export const detectAlertsJob: Job = {
  name: 'detect-alerts',
  async run({ env, now, log }) {
    const today = epochDay(now);
    const days = Array.from({ length: DAYS_BACK }, (_, i) => today - 1 - i);
    const { alerts, deliveries } = await detectAlerts({ db: createDb(env.DB), queue: env.WEBHOOKS }, days, now);
    log.info('alerts detected', { days, alerts: alerts.length, deliveries });
  },
};
