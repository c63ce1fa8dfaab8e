import { createDb } from '../db/client.ts';
import { refreshDirtyDays } from '../db/rollups.ts';

/** Days one cron run recomputes; a backlog (a bulk import) drains over the following runs. */
const DAYS_PER_RUN = 60;

/**
 * Cron entry (every minute): recompute every rollup day that received events or impressions since
 * its last refresh. Logs one line so `wrangler tail` shows progress.
 */
export async function refreshStaleAnalytics(env: Env, scheduledTime: number): Promise<void> {
  const result = await refreshDirtyDays(createDb(env.DB), { maxDays: DAYS_PER_RUN });
  console.log(JSON.stringify({ level: 'info', job: 'analytics-refresh', scheduledTime, ...result }));
}
