import { parseHotDays } from '../rollups/window.ts';
import { ArchiveError, archiveColdDays, sweepOrphans } from './events-archive.ts';

/** Cold days one cron run moves; a backlog drains over the following runs. */
const DAYS_PER_RUN = 3;

/**
 * `EVENTS_HOT_DAYS` for the archive: a bad value throws `invalid_config` instead of moving days an
 * operator meant to keep (ingest, by contrast, keeps to the default: worker/rollups/window.ts).
 */
export function hotDaysOf(env: Pick<Env, 'EVENTS_HOT_DAYS'>): number {
  const days = parseHotDays(env.EVENTS_HOT_DAYS);
  if (days === null) {
    throw new ArchiveError('invalid_config', `EVENTS_HOT_DAYS must be a whole number of days from 1 to 3650, got '${env.EVENTS_HOT_DAYS}'`);
  }
  return days;
}

/**
 * Cron entry: moves up to three cold days of raw events to R2, and once an hour (the run at minute 0)
 * deletes orphans of crashed runs. Never throws; logs one JSON line (`job: events-archive`) with
 * what moved, or the error and its code, so a failing archive never stops the rest of the scheduled
 * work. The next run retries.
 */
export async function archiveOnSchedule(env: Env, scheduledTime: number): Promise<void> {
  try {
    const result = await archiveColdDays(
      { db: env.DB, bucket: env.ARCHIVE },
      { now: scheduledTime, hotDays: hotDaysOf(env), maxDays: DAYS_PER_RUN },
    );
    const sweep =
      new Date(scheduledTime).getUTCMinutes() === 0
        ? await sweepOrphans({ db: env.DB, bucket: env.ARCHIVE }, { now: scheduledTime })
        : null;
    if (result.days.length > 0 || result.skipped.length > 0 || (sweep && sweep.deleted.length > 0)) {
      console.log(
        JSON.stringify({
          level: 'info',
          job: 'events-archive',
          scheduledTime,
          parts: result.days.length,
          rows: result.rows,
          bytes: result.bytes,
          skipped: result.skipped,
          ...(sweep ? { orphansDeleted: sweep.deleted.length } : {}),
        }),
      );
    }
  } catch (err) {
    const e = err as Error & { code?: string };
    console.error(
      JSON.stringify({
        level: 'error',
        job: 'events-archive',
        scheduledTime,
        code: e.code ?? 'internal_error',
        message: e.message,
        stack: e.stack,
      }),
    );
  }
}
