/**
 * The demo's alerts: the daily detection (POST /v1/admin/insights/alerts/run, one day a call) over the
 * last days of the loaded history, so the dashboard's alert list has what the daily job would have
 * found had the world been live. Each day is examined once; rerunning adds nothing.
 */
import { apiCall } from '../lib/local-worker.ts';

const DAY_MS = 86_400_000;

export interface DemoAlerts {
  days: number;
  alerts: number;
  at: string;
}

/** Runs detection for each of the `days` days before today, oldest first; `onDay` reports progress. */
export async function detectDemoAlerts(url: string, admin: string, days: number, onDay?: (done: number) => void): Promise<DemoAlerts> {
  let alerts = 0;
  const today = Math.floor(Date.now() / DAY_MS);
  for (let k = days; k >= 1; k--) {
    const day = new Date((today - k) * DAY_MS).toISOString().slice(0, 10);
    const res = await apiCall<{ alerts: unknown[] }>(url, admin, '/v1/admin/insights/alerts/run', { body: { day } });
    if (res.status === 404) throw new Error('this Worker has no alert detection');
    if (res.status !== 200) throw new Error(`alert detection for ${day} answered ${res.status}: ${JSON.stringify(res.body)}`);
    alerts += res.body.alerts.length;
    onDay?.(days - k + 1);
  }
  return { days, alerts, at: new Date().toISOString() };
}
