import { ArchiveError } from './parquet.ts';

/** The default hot window: raw events D1 keeps, and how late an app may send an event. */
export const DEFAULT_HOT_DAYS = 35;

/**
 * `EVENTS_HOT_DAYS` (wrangler.toml): whole UTC days of raw events D1 keeps before today. Older days
 * move to the R2 archive, and apps may not send events older than the window, so deduplication by
 * event_id covers every event an app sends. Null when the value is not a whole number from 1 to
 * 3 650: the archive refuses to run on it, ingest keeps to the default.
 */
export function parseHotDays(value: string | undefined): number | null {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= 3650 ? n : null;
}

/** The ingest window in days; a bad `EVENTS_HOT_DAYS` falls back to the default rather than refusing every event. */
export function hotWindowDays(env: { EVENTS_HOT_DAYS?: string }): number {
  return parseHotDays(env.EVENTS_HOT_DAYS) ?? DEFAULT_HOT_DAYS;
}

/**
 * `EVENTS_HOT_DAYS` for the archive: a bad value throws `invalid_config` instead of moving days an
 * operator meant to keep (ingest, by contrast, keeps to the default: hotWindowDays).
 */
export function hotDaysOf(env: Pick<Env, 'EVENTS_HOT_DAYS'>): number {
  const days = parseHotDays(env.EVENTS_HOT_DAYS);
  if (days === null) {
    throw new ArchiveError('invalid_config', `EVENTS_HOT_DAYS must be a whole number of days from 1 to 3650, got '${env.EVENTS_HOT_DAYS}'`);
  }
  return days;
}
