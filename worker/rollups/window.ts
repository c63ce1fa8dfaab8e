/** The default hot window: raw events D1 keeps, and how late an app may send an event. */
export const DEFAULT_HOT_DAYS = 35;

/**
 * Days of raw events kept in D1 (the `EVENTS_HOT_DAYS` var, default 35). Events older than that
 * move to the R2 archive; apps may not send events older than that, so deduplication by event_id
 * covers every event an app sends. A bad value falls back to the default rather than failing ingest.
 */
export function hotWindowDays(env: { EVENTS_HOT_DAYS?: string }): number {
  const n = Number(env.EVENTS_HOT_DAYS);
  return Number.isInteger(n) && n >= 2 && n <= 3650 ? n : DEFAULT_HOT_DAYS;
}
