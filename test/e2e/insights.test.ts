/**
 * The insights views in a real browser against a real Worker: what drives reach says what the API
 * says, an injected spike raises an alert that shows in the dashboard and reaches a local webhook
 * receiver signed with the secret shown once (a refused delivery stays pending for its retry, then
 * arrives), no view shows the previous artist's figures under the next one's name, a nav click
 * during a load acts at once, and at 390 px tables say they scroll and axis labels never collide.
 * Screenshots land in test-output/screenshots/insights-*.png.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount } from '../../dashboard/src/lib/format.ts';
import { formatMetric } from '../../dashboard/src/lib/metrics.ts';
import { presetRange } from '../../dashboard/src/lib/range.ts';
import { apiCall } from '../../scripts/lib/local-worker.ts';
import { type Browser, hasChromium, INSTALL_HINT, launchBrowser } from './browser.ts';
import { BIG, insightTracks, SMALL, seedInsightsWorld } from './insights-world.ts';
import { type E2eWorker, startE2eWorker } from './server.ts';
import { dashboardSession, inCi, SHOTS, watchedPage } from './session.ts';

if (!hasChromium && !inCi) console.warn(`\n[e2e] SKIPPED: ${INSTALL_HINT}\n`);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Delivery {
  id: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status: number | null;
}

/** Checks `Backbeat-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`. */
function signedWith(secret: string, r: Received): boolean {
  const header = String(r.headers['backbeat-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  if (!parts.t || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${r.body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe.skipIf(!hasChromium && !inCi)('Insights in chromium', () => {
  let worker: E2eWorker | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let url: string;
  let artistKey: string;
  let receiver: Server | undefined;
  let hookUrl: string;
  const received: Received[] = [];
  /** While true the receiver refuses pings with a 500, so their first attempt fails and waits for a retry. */
  let refusePings = true;
  let secret = '';
  const cspMessages: string[] = [];
  const s = dashboardSession(
    () => page,
    () => url,
  );
  const range = presetRange(28);
  const q = `from=${range.from}&to=${range.to}`;
  const heading = (name: RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();
  const deliveries = async () =>
    (await apiCall<{ deliveries: Delivery[] }>(url, artistKey, `/v1/artists/${BIG.id}/webhooks/deliveries`)).body.deliveries;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`[e2e] ${INSTALL_HINT}`);
    mkdirSync(SHOTS, { recursive: true });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        const ping = body.includes('"webhook.ping"');
        res.writeHead(ping && refusePings ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/backbeat`;
    worker = await startE2eWorker();
    url = worker.server.url;
    ({ artistKey } = await seedInsightsWorld(url, worker.adminToken));
    browser = await launchBrowser();
    page = await watchedPage(browser, cspMessages);
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.server.stop();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  it('Should open on the artist with the most streams, the picker ordered biggest first', async () => {
    await s.signIn(artistKey);
    await heading(new RegExp(`Overview.*${BIG.name}`));
    expect(await page.getByLabel('Artist', { exact: true }).locator('option').allTextContents()).toEqual([BIG.name, SMALL.name]);
  });

  it('Should say in sentences what drove algorithmic streams, as the API says it', async () => {
    await s.nav().getByRole('link', { name: 'Insights' }).click();
    await heading(new RegExp(`Insights.*${BIG.name}`));
    const api = await apiCall<{ sentences: string[] }>(url, artistKey, `/v1/artists/${BIG.id}/insights/reach?${q}`);
    expect(api.status).toBe(200);
    expect(api.body.sentences.length).toBeGreaterThan(0);
    const shown = page.getByTestId('reach-sentences').locator('li');
    await expect.poll(() => shown.allTextContents(), { timeout: 15_000 }).toEqual(api.body.sentences);
    // The hint is plain; the exact definition is one click away.
    const panel = page.getByTestId('reach-drivers');
    await expect.poll(() => panel.getByText('Exact definition').isVisible()).toBe(true);
    expect(await panel.locator('details .exact').isVisible()).toBe(false);
    await panel.getByText('Exact definition').click();
    expect(await panel.locator('details .exact').textContent()).toContain('LMDI');
  });

  it('Should register a webhook and show its secret once', async () => {
    await page.getByLabel('Receiver URL').fill(hookUrl);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const shown = page.getByTestId('webhook-secret');
    const refused = page.getByRole('status').filter({ hasText: 'Could not do that' });
    await shown.or(refused).waitFor();
    // The receiver listens on the port the OS gave it, usually 5 digits long.
    expect(await refused.count(), `registering ${hookUrl}: ${await refused.textContent().catch(() => '')}`).toBe(0);
    secret = ((await shown.locator('[data-secret]').textContent()) ?? '').trim();
    expect(secret.length).toBeGreaterThan(16);
    const list = await apiCall<{ webhooks: Record<string, unknown>[] }>(url, artistKey, `/v1/artists/${BIG.id}/webhooks`);
    expect(list.body.webhooks.map((w) => w.url)).toEqual([hookUrl]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    await page.getByTestId('webhook-list').getByText(hookUrl).waitFor();
    await s.shot('insights-webhook-secret');
    // Back on the page later, the secret is gone for good.
    await s.nav().getByRole('link', { name: 'Overview' }).click();
    await s.nav().getByRole('link', { name: 'Insights' }).click();
    await page.getByTestId('webhook-list').getByText(hookUrl).waitFor();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
  });

  it('Should raise an alert for today’s spike, list it, and deliver it signed to the webhook', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const run = await apiCall<{ date: string; alerts: { artist_id: string; metric: string; direction: string }[]; deliveries: number }>(
      url,
      worker!.adminToken,
      '/v1/admin/insights/alerts/run',
      { body: { day: today } },
    );
    expect(run.status).toBe(200);
    expect(run.body.alerts).toContainEqual(expect.objectContaining({ artist_id: BIG.id, metric: 'streams', direction: 'up' }));
    const api = await apiCall<{ alerts: { sentence: string; metric: string }[] }>(url, artistKey, `/v1/artists/${BIG.id}/alerts?${q}`);
    const streamsAlert = api.body.alerts.find((a) => a.metric === 'streams');
    expect(streamsAlert).toBeDefined();

    await page.reload();
    await heading(/Insights/);
    await expect
      .poll(() => page.getByTestId('alert-sentence').allTextContents(), { timeout: 15_000 })
      .toEqual(api.body.alerts.map((a) => a.sentence));

    // The receiver got the alert, signed with the secret shown once.
    expect(run.body.deliveries).toBeGreaterThan(0);
    await expect.poll(() => received.filter((r) => r.body.includes('"alert.created"')).length, { timeout: 30_000 }).toBeGreaterThan(0);
    const alert = received.find((r) => r.body.includes('"alert.created"'))!;
    expect(signedWith(secret, alert)).toBe(true);
    expect(signedWith('not-the-secret', alert)).toBe(false);
    expect(JSON.parse(alert.body)).toMatchObject({ event: 'alert.created', alert: { artist_id: BIG.id } });
    await expect
      .poll(async () => (await deliveries()).filter((d) => d.event === 'alert.created').map((d) => d.status), { timeout: 15_000 })
      .toContain('delivered');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('deliveries').locator('tr[data-status="delivered"]').first().waitFor();
    await s.shot('insights');
  });

  it('Should keep a refused test delivery pending for its retry, then deliver it on the retry', { timeout: 150_000 }, async () => {
    await page.getByRole('button', { name: `Send a test to ${hookUrl}` }).click();
    await page.getByRole('status').filter({ hasText: 'Test delivery' }).waitFor();
    // First attempt refused (500): pending, one attempt, the receiver's answer recorded.
    await expect
      .poll(async () => (await deliveries()).find((d) => d.event === 'webhook.ping'), { timeout: 30_000 })
      .toMatchObject({ status: 'pending', attempts: 1, last_status: 500 });
    const ping = received.find((r) => r.body.includes('"webhook.ping"'))!;
    expect(signedWith(secret, ping)).toBe(true);
    await page.getByLabel('Show deliveries').selectOption('pending');
    const row = page.getByTestId('deliveries').locator('tr[data-status="pending"]').filter({ hasText: 'webhook.ping' });
    await row.waitFor();
    expect(await row.textContent()).toContain('500');
    await s.shot('insights-delivery-pending');
    // The receiver comes back; the retry (after 30 s) goes through.
    refusePings = false;
    await expect
      .poll(async () => (await deliveries()).find((d) => d.event === 'webhook.ping'), { timeout: 110_000, interval: 2000 })
      .toMatchObject({ status: 'delivered', attempts: 2, last_status: 200 });
    await page.getByLabel('Show deliveries').selectOption('all');
  });

  it('Should never show the previous artist’s figures under the next artist’s name', async () => {
    await s.nav().getByRole('link', { name: 'Overview' }).click();
    await heading(new RegExp(`Overview.*${BIG.name}`));
    const big = await apiCall<{ metrics: { streams: { value: number } } }>(url, artistKey, `/v1/artists/${BIG.id}/overview?${q}`);
    const kpi = page.getByTestId('kpi-streams').locator('[data-kpi-value]');
    await expect.poll(() => kpi.textContent(), { timeout: 15_000 }).toBe(formatMetric('streams', big.body.metrics.streams.value));
    // Hold the next artist's answers, so the moment between the switch and the answer can be looked at.
    const held: Route[] = [];
    const pattern = `**/v1/artists/${SMALL.id}/**`;
    await page.route(pattern, (route) => {
      held.push(route);
    });
    await page.getByLabel('Artist', { exact: true }).selectOption(SMALL.id);
    await heading(new RegExp(`Overview.*${SMALL.name}`));
    await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);
    // The new name is up and its numbers are not: the page says it is loading, and the old figures are gone.
    expect(await page.getByTestId('kpis').count()).toBe(0);
    expect(await page.getByText('Loading…').count()).toBeGreaterThan(0);
    expect(await page.getByText(formatMetric('streams', big.body.metrics.streams.value), { exact: true }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'insights-switching-artist.png'), fullPage: true });
    await page.unroute(pattern);
    for (const r of held) await r.continue().catch(() => {});
    const small = await apiCall<{ metrics: { streams: { value: number } } }>(url, artistKey, `/v1/artists/${SMALL.id}/overview?${q}`);
    await expect.poll(() => kpi.textContent(), { timeout: 15_000 }).toBe(formatMetric('streams', small.body.metrics.streams.value));
    await page.getByLabel('Artist', { exact: true }).selectOption(BIG.id);
    await heading(new RegExp(`Overview.*${BIG.name}`));
  });

  it('Should act on a nav click at once during a load, cancelling the requests it no longer needs', async () => {
    const held: Route[] = [];
    const pattern = `**/v1/artists/${BIG.id}/audience**`;
    await page.route(pattern, (route) => {
      held.push(route);
    });
    const aborted: string[] = [];
    page.on('requestfailed', (r) => {
      if (r.url().includes(`/v1/artists/${BIG.id}/audience`)) aborted.push(r.failure()?.errorText ?? '');
    });
    await s.nav().getByRole('link', { name: 'Audience' }).click();
    await heading(/Audience/);
    await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await s.nav().getByRole('link', { name: 'Insights' }).click();
    await heading(/Insights/);
    await expect.poll(() => aborted.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.unroute(pattern);
    for (const r of held) await r.continue().catch(() => {});
  });

  it('Should show a track’s timeline, its release benchmark and a comparison with another track', async () => {
    const [tide, , flare] = insightTracks(Date.now());
    await s.nav().getByRole('link', { name: 'Tracks', exact: true }).click();
    await page.getByRole('link', { name: flare.title }).click();
    await heading(new RegExp(flare.title));
    const bench = await apiCall<{ sentence: string }>(url, artistKey, `/v1/artists/${BIG.id}/tracks/${flare.id}/benchmark`);
    expect(bench.status).toBe(200);
    await expect.poll(() => page.getByTestId('benchmark-sentence').textContent(), { timeout: 15_000 }).toBe(bench.body.sentence);
    await page.getByTestId('track-timeline').locator('canvas').waitFor();
    await page.getByLabel('Compare with', { exact: true }).selectOption(tide.id);
    const timeline = await apiCall<{ points: { streams: number }[] }>(
      url,
      artistKey,
      `/v1/artists/${BIG.id}/tracks/${tide.id}/timeline?${q}`,
    );
    const total = timeline.body.points.reduce((n, p) => n + p.streams, 0);
    await expect
      .poll(() => page.getByTestId('compare-totals').textContent(), { timeout: 15_000 })
      .toContain(`${tide.title}: ${formatCount(total)}`);
    await s.shot('insights-track');
  });

  it('Should show countries, engagement segments and the listener → saver → repeat funnel on Audience', async () => {
    await s.nav().getByRole('link', { name: 'Audience' }).click();
    await heading(/Audience/);
    const api = await apiCall<{ countries: { country: string }[]; funnel: { step: string; users: number }[] }>(
      url,
      artistKey,
      `/v1/artists/${BIG.id}/insights/audience?${q}`,
    );
    expect(api.body.countries.map((c) => c.country).sort()).toEqual(['BR', 'DE', 'SE', 'US']);
    await expect.poll(() => page.getByTestId('countries-table').locator('tbody tr').count(), { timeout: 15_000 }).toBe(4);
    await page.getByTestId('countries-table').getByText('Sweden').waitFor();
    const steps = await page.getByTestId('funnel-steps').locator('li strong').allTextContents();
    expect(steps).toEqual(api.body.funnel.map((f) => formatCount(f.users)));
    await page.getByTestId('segments-table').waitFor();
    await s.shot('insights-audience');
  });

  it('Should fit 390 px: no sideways page scroll, tables that say they scroll, axis labels that never collide', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [link, ready, name] of [
        ['Insights', 'reach-drivers', 'insights-390'],
        ['Tracks', 'tracks-table', 'insights-tracks-390'],
        ['Audience', 'countries', 'insights-audience-390'],
        ['Overview', 'kpis', 'insights-overview-390'],
      ] as const) {
        await s.nav().getByRole('link', { name: link, exact: true }).click();
        await page.getByTestId(ready).waitFor();
        await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 20_000 });
        const overflow = await page.evaluate(() => {
          const limit = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > limit + 1 && !el.closest('.scroll'))
            .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
          return { by: document.documentElement.scrollWidth - limit, wide: wide.slice(0, 5) };
        });
        expect(overflow, `${link} at 390 px`).toEqual({ by: 0, wide: [] });
        // Every chart drawn has an overlap count, and it is 0.
        const overlaps = await page
          .locator('canvas')
          .evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).dataset.axisOverlaps ?? 'not drawn'));
        if (link !== 'Tracks') expect(overlaps.length, `${link}: charts`).toBeGreaterThan(0);
        expect(
          overlaps.filter((o) => o !== '0'),
          `${link}: axis labels overlapping`,
        ).toEqual([]);
        // A table wider than the screen says that it scrolls.
        const tables = await page.locator('[data-overflowing]').evaluateAll((els) => els.map((e) => e.getAttribute('data-overflowing')));
        if (tables.includes('true')) expect(await page.getByTestId('scroll-hint').count()).toBeGreaterThan(0);
        if (link === 'Tracks') expect(tables).toContain('true');
        await s.shot(name);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('Should have met no Content Security Policy violation', () => {
    expect(cspMessages).toEqual([]);
  });
});
