import { rollupApplier } from '../rollups/applier.ts';
import type { Job } from './job.ts';

/** Marked days one cron run recomputes; a backlog (a bulk load) drains over the following runs. */
const DAYS_PER_RUN = 60;

/**
 * Every minute: the rollup applier adds whatever deltas are still pending (a poke lost to a crash)
 * and recomputes marked days. Logs one line so `wrangler tail` shows progress.
 */
export const refreshRollups: Job = {
  name: 'refresh-rollups',
  async run({ env, log }) {
    const result = await rollupApplier(env).refresh({ maxDays: DAYS_PER_RUN });
    log.info('rollups refreshed', { ...result });
  },
};
