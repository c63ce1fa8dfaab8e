/**
 * Brings the analytics rollups up to date through POST /v1/admin/analytics/refresh: every pending
 * delta, then every marked day (a catalogue change after its plays, or rows loaded straight into the
 * database). The rollup applier does this on its own seconds after ingest, and a cron every minute
 * in production; wrangler dev runs no cron, so tools that must see exact numbers call this first.
 */
import { apiCall } from '../lib/local-worker.ts';

export interface RefreshOutcome {
  refreshed: number;
  remaining: number;
  /** False when this Worker has no refresh endpoint. */
  available: boolean;
}

/**
 * Refreshes stale days, `maxDays` per request, until none is left (or no progress is made).
 *
 * @example await refreshAnalytics(url, adminToken, (done, total) => bar.update(done, total));
 */
export async function refreshAnalytics(
  url: string,
  admin: string,
  onProgress?: (done: number, total: number) => void,
  maxDays = 31,
): Promise<RefreshOutcome> {
  const refresh = () =>
    apiCall<{ refreshed: number; remaining: number }>(url, admin, '/v1/admin/analytics/refresh', { body: { max_days: maxDays } });
  let refreshed = 0;
  for (;;) {
    let res = await refresh();
    // wrangler dev restarts the Worker when its sources change and answers 503 meanwhile; recomputing a
    // day is idempotent, so the request is safe to repeat.
    for (let attempt = 1; res.status === 503 && attempt <= 5; attempt++) {
      await new Promise((r) => setTimeout(r, 1000 * attempt));
      res = await refresh();
    }
    if (res.status === 404) return { refreshed, remaining: 0, available: false };
    if (res.status !== 200)
      throw new Error(`POST /v1/admin/analytics/refresh answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    refreshed += res.body.refreshed;
    onProgress?.(refreshed, refreshed + res.body.remaining);
    if (res.body.remaining === 0 || res.body.refreshed === 0) return { refreshed, remaining: res.body.remaining, available: true };
  }
}
