import { archiveColdDays as moveColdDays, sweepOrphans } from '../archive/events-archive.ts';
import { hotDaysOf } from '../archive/hot-window.ts';
import type { Job } from './job.ts';

/** Cold days one cron run moves; a backlog drains over the following runs. */
const DAYS_PER_RUN = 3;

/**
 * Every minute, after the rollups (the archive only moves days whose rollups are current): moves up
 * to three cold days of raw events to R2, and once an hour (the run at minute 0) deletes orphans of
 * crashed runs. Logs what moved; a failure is logged with its code by the dispatcher and the next
 * run retries.
 */
export const archiveColdDays: Job = {
  name: 'archive-cold-days',
  async run({ env, now, log }) {
    const deps = { db: env.DB, bucket: env.ARCHIVE };
    const result = await moveColdDays(deps, { now, hotDays: hotDaysOf(env), maxDays: DAYS_PER_RUN });
    const sweep = new Date(now).getUTCMinutes() === 0 ? await sweepOrphans(deps, { now }) : null;
    if (result.days.length > 0 || result.skipped.length > 0 || (sweep && sweep.deleted.length > 0)) {
      log.info('cold days archived', {
        parts: result.days.length,
        rows: result.rows,
        bytes: result.bytes,
        skipped: result.skipped,
        ...(sweep ? { orphansDeleted: sweep.deleted.length } : {}),
      });
    }
  },
};
