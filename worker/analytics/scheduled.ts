import { rollupApplier } from '../rollups/applier.ts';

/** Marked days one cron run recomputes; a backlog (a bulk load) drains over the following runs. */
const DAYS_PER_RUN = 60;

/**
 * Cron entry (every minute): the rollup applier adds whatever deltas are still pending (a poke lost
 * to a crash) and recomputes marked days. Logs one line so `wrangler tail` shows progress.
 */
export async function refreshStaleAnalytics(env: Env, scheduledTime: number): Promise<void> {
  const result = await rollupApplier(env).refresh({ maxDays: DAYS_PER_RUN });
  console.log(JSON.stringify({ level: 'info', job: 'analytics-refresh', scheduledTime, ...result }));
}
