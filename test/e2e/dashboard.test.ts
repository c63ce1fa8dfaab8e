/**
 * The dashboard in a real browser against a real Worker with seeded data: sign in, KPI numbers
 * equal the API's, the date range changes them, a track page opens, a CSV downloads and equals
 * the API's, sign out. Screenshots of every view land in test-output/screenshots/. Every page of the
 * run is watched for Content Security Policy violations; the last test asserts there were none.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatPercent } from '../../dashboard/src/lib/format.ts';
import { formatMetric } from '../../dashboard/src/lib/metrics.ts';
import { presetRange } from '../../dashboard/src/lib/range.ts';
import { apiCall, ROOT } from '../../scripts/lib/local-worker.ts';
import { type Browser, CHROMIUM, hasChromium, INSTALL_HINT, launchBrowser } from './browser.ts';
import { E2E_PERSIST, type E2eWorker, startE2eWorker } from './server.ts';
import { ARTIST, OTHER_ARTIST, SEEDED_CAMPAIGN, seedWorld, TRACKS } from './world.ts';

const SHOTS = join(ROOT, 'test-output/screenshots');
const inCi = process.env.CI === 'true' || process.env.CI === '1';

if (!hasChromium && !inCi) console.warn(`\n[e2e] SKIPPED: ${INSTALL_HINT}\n`);

type Overview = {
  metrics: Record<string, { value: number | null; previous: number | null }>;
  source_mix: { source: string; streams: number; share: number }[];
};

describe.skipIf(!hasChromium && !inCi)('Dashboard in chromium', () => {
  let worker: E2eWorker | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let url: string;
  let artistKey: string;
  let marketerKey: string;
  const cspViolations: { page: Page | null; text: string }[] = [];
  /** Pages that break the CSP on purpose, to show the watch works: their violations are expected. */
  const probes = new Set<Page>();
  const violationsOn = (p: Page) => cspViolations.filter((v) => v.page === p).map((v) => v.text);

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`[e2e] ${INSTALL_HINT} (CI installs it in .ci/run)`);
    mkdirSync(SHOTS, { recursive: true });
    worker = await startE2eWorker();
    url = worker.server.url;
    ({ artistKey, marketerKey } = await seedWorld(url, worker.adminToken, E2E_PERSIST));
    browser = await launchBrowser();
    // CSP violations, from every page and document of the run: the securitypolicyviolation event (an
    // init script in each document reports it) and chromium's console message.
    await browser.context.exposeBinding('__reportCspViolation', ({ page: from }, v: string) => cspViolations.push({ page: from, text: v }));
    await browser.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const report = (window as unknown as { __reportCspViolation: (v: string) => void }).__reportCspViolation;
        report(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} on ${e.documentURI} (${e.sample})`);
      });
    });
    browser.context.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) cspViolations.push({ page: m.page(), text: `console: ${m.text()}` });
    });
    page = await browser.context.newPage();
    // Errors in the page show up in the test output, next to the failing step.
    page.on('pageerror', (e) => console.error(`[e2e] page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && console.error(`[e2e] console: ${m.text()}`));
    console.log(`[e2e] chromium ${CHROMIUM}, worker ${url}`);
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.server.stop();
  });

  /** A full-page screenshot once nothing on the page is loading any more. */
  const shot = async (name: string) => {
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 20_000 });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };
  const kpiText = (metric: string) => page.getByTestId(`kpi-${metric}`).locator('[data-kpi-value]').textContent();
  /** The freshness line under the page title: '14:32:05' today (UTC), '24 Nov 14:32' when the oldest answer is from another day. */
  const AS_OF_TEXT = /^as of (\d{2}:\d{2}:\d{2}|\d{1,2} [A-Z][a-z]{2} \d{2}:\d{2}) UTC$/;
  const asOfText = async () => (await page.getByTestId('as-of').locator('time').textContent())?.trim();

  async function apiOverview(days: 7 | 28): Promise<Overview> {
    const r = presetRange(days);
    const res = await apiCall<Overview>(url, artistKey, `/v1/artists/${ARTIST.id}/overview?from=${r.from}&to=${r.to}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('Should serve the dashboard with its security headers and a CSP that names its inline script by hash', async () => {
    const res = await page.goto(url);
    const headers = res?.headers() ?? {};
    // from dashboard/static/_headers, applied by the static assets layer
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    // the <meta> the build writes (csp in dashboard/vite.config.ts)
    const meta = (await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content')) ?? '';
    expect(meta).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(meta).toContain("default-src 'none'");
    expect(meta).toContain("connect-src 'self'");
    expect(meta).not.toContain('unsafe-inline');
    expect(meta).not.toContain('unsafe-eval');
    await page.getByLabel('API key').waitFor();
  });

  it('Should refuse a wrong key and sign in with a valid one', async () => {
    await page.goto(url);
    await page.getByLabel('API key').fill('bb_not_a_real_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('did not accept');
    await shot('sign-in-error');

    await page.getByLabel('API key').fill(artistKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
    // Two artists on the key: the picker offers both, sorted by name.
    expect(await page.getByLabel('Artist').locator('option').allTextContents()).toEqual(['Night Swimmers', 'Paper Lanterns']);
  });

  it('Should show the KPI numbers the API gives for the last 28 days', async () => {
    const o = await apiOverview(28);
    expect(o.metrics.streams?.value).toBeGreaterThan(0);
    for (const m of ['streams', 'listeners', 'completion_rate', 'skip_rate', 'saves', 'playlist_adds'] as const) {
      await expect.poll(() => kpiText(m), { timeout: 15_000 }).toBe(formatMetric(m, o.metrics[m]!.value));
    }
    // The source mix panel lists every source's share (for screen readers) as the API gives it.
    expect(o.source_mix.length).toBeGreaterThan(0);
    const mix = page.getByRole('listitem').filter({ hasText: /:\s*\d+(\.\d+)?\s*%/ });
    await expect.poll(() => mix.allTextContents(), { timeout: 15_000 }).toHaveLength(o.source_mix.length);
    const shown = (await mix.allTextContents()).map((t) => t.split(':')[1]?.trim()).sort();
    expect(shown).toEqual(o.source_mix.map((s) => formatPercent(s.share)).sort());
    await page.locator('canvas').first().waitFor();
    await shot('overview-28d');
  });

  it('Should say under the title how fresh the Overview numbers are', async () => {
    const asOf = page.getByTestId('as-of').locator('time');
    await expect.poll(() => asOfText(), { timeout: 15_000 }).toMatch(AS_OF_TEXT);
    const text = (await asOfText()) ?? '';
    const datetime = (await asOf.getAttribute('datetime')) ?? '';
    const at = new Date(datetime);
    expect(Number.isNaN(at.getTime()), `datetime="${datetime}"`).toBe(false);
    expect(text).toContain(at.toISOString().slice(11, 16));
    // the worker runs on this machine's clock: counted events cannot be from the future
    expect(at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await asOf.getAttribute('title')).toContain('Every event received before this time is counted');
  });

  it('Should follow the date range: the last 7 days show the API numbers of those days', async () => {
    const [week, month] = await Promise.all([apiOverview(7), apiOverview(28)]);
    expect(week.metrics.streams?.value).not.toBe(month.metrics.streams?.value);
    await page.getByLabel('Period', { exact: true }).selectOption('7');
    for (const m of ['streams', 'listeners', 'completion_rate', 'skip_rate'] as const) {
      await expect.poll(() => kpiText(m), { timeout: 15_000 }).toBe(formatMetric(m, week.metrics[m]!.value));
    }
    await shot('overview-7d');
  });

  it('Should apply a custom date range', async () => {
    const r = { from: presetRange(28).from, to: presetRange(7).from };
    const api = await apiCall<Overview>(url, artistKey, `/v1/artists/${ARTIST.id}/overview?from=${r.from}&to=${r.to}`);
    await page.getByLabel('Period', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill(r.from);
    await page.getByLabel('To', { exact: true }).fill(r.to);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => kpiText('streams'), { timeout: 15_000 }).toBe(formatMetric('streams', api.body.metrics.streams!.value));
    // Back to the last 7 days for the steps that follow.
    await page.getByLabel('Period', { exact: true }).selectOption('7');
  });

  it('Should switch artist and show the numbers of the one picked', async () => {
    const r = presetRange(7);
    const other = await apiCall<Overview>(url, artistKey, `/v1/artists/${OTHER_ARTIST.id}/overview?from=${r.from}&to=${r.to}`);
    await page.getByLabel('Artist', { exact: true }).selectOption(OTHER_ARTIST.id);
    await page.getByRole('heading', { level: 1, name: new RegExp(OTHER_ARTIST.name) }).waitFor();
    await expect.poll(() => kpiText('streams'), { timeout: 15_000 }).toBe(formatMetric('streams', other.body.metrics.streams!.value));
    await page.getByLabel('Artist', { exact: true }).selectOption(ARTIST.id);
    await page.getByRole('heading', { level: 1, name: new RegExp(ARTIST.name) }).waitFor();
  });

  it('Should show algorithmic reach and the audience views', async () => {
    await page.getByRole('link', { name: 'Algorithmic reach' }).click();
    await page.getByRole('heading', { level: 1, name: /Algorithmic reach/ }).waitFor();
    await page.getByTestId('reach-funnel').waitFor();
    const r = presetRange(7);
    const reach = await apiCall<{ reach: number }>(url, artistKey, `/v1/artists/${ARTIST.id}/reach?from=${r.from}&to=${r.to}`);
    // the newcomers were shown this artist's tracks by the trained model
    expect(reach.body.reach).toBeGreaterThan(0);
    await expect.poll(() => kpiText('algorithmic_reach'), { timeout: 15_000 }).toBe(formatCount(reach.body.reach));
    await expect.poll(() => asOfText(), { timeout: 15_000 }).toMatch(AS_OF_TEXT);
    await shot('reach');
    await page.getByRole('link', { name: 'Audience' }).click();
    await page.getByRole('heading', { level: 1, name: /Audience/ }).waitFor();
    await page.getByTestId('listening-clock').waitFor();
    await expect.poll(() => asOfText(), { timeout: 15_000 }).toMatch(AS_OF_TEXT);
    await shot('audience');
  });

  it('Should list the tracks, open one, and show its numbers', async () => {
    await page.getByRole('link', { name: 'Tracks', exact: true }).click();
    await page.getByTestId('tracks-table').waitFor();
    await shot('tracks');
    // Sorting by title ascending puts the tracks in alphabetical order.
    await page.getByRole('button', { name: /^Track/ }).click();
    const titles = await page.getByTestId('tracks-table').locator('tbody tr td:first-child').allTextContents();
    expect(titles.map((t) => t.trim())).toEqual(
      TRACKS.filter((t) => t.artist === ARTIST)
        .map((t) => t.title)
        .sort(),
    );
    const track = TRACKS[0];
    await page.getByRole('link', { name: track.title }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(track.title) }).waitFor();
    const r = presetRange(7);
    const api = await apiCall<{ metrics: { streams: number } }>(
      url,
      artistKey,
      `/v1/artists/${ARTIST.id}/tracks/${track.id}?from=${r.from}&to=${r.to}`,
    );
    await expect.poll(() => kpiText('streams'), { timeout: 15_000 }).toBe(formatMetric('streams', api.body.metrics.streams));
    await page.getByTestId('skip-positions').waitFor();
    await expect.poll(() => asOfText(), { timeout: 15_000 }).toMatch(AS_OF_TEXT);
    await shot('track-detail');
  });

  it('Should download the tracks table as the same CSV the API serves', async () => {
    await page.getByRole('link', { name: 'Tracks', exact: true }).click();
    await page.getByTestId('tracks-table').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const r = presetRange(7);
    expect(download.suggestedFilename()).toBe(`${ARTIST.id}-tracks-${r.from}_${r.to}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    const api = await apiCall<string>(url, artistKey, `/v1/artists/${ARTIST.id}/tracks?from=${r.from}&to=${r.to}&format=csv`);
    expect(csv).toBe(api.body);
    expect(csv.split('\r\n')[0]).toContain('track_id');
  });

  it('Should fit a 375 px wide phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    for (const [link, ready, name] of [
      ['Overview', 'kpis', 'overview-mobile'],
      ['Algorithmic reach', 'reach-funnel', 'reach-mobile'],
      ['Tracks', 'tracks-table', 'tracks-mobile'],
      ['Audience', 'listening-clock', 'audience-mobile'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByTestId(ready).waitFor();
      await shot(name);
      // Wide tables and the clock scroll inside their own box; the page itself must not.
      const overflow = await page.evaluate(() => {
        const limit = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > limit + 1 && !el.closest('.scroll'))
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
        return { by: document.documentElement.scrollWidth - limit, wide: wide.slice(0, 5) };
      });
      expect(overflow, `${link} at 375 px`).toEqual({ by: 0, wide: [] });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('Should sign out and forget the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('backbeat.key'))).toBeNull();
    await page.reload();
    await page.getByLabel('API key').waitFor();
    await shot('signed-out');
  });

  it('Should end the session with a notice when the key is revoked', async () => {
    const minted = await apiCall<{ id: string; key: string }>(url, worker!.adminToken, '/v1/admin/keys', {
      body: { role: 'artist', name: 'e2e key to revoke', artist_ids: [ARTIST.id] },
    });
    await page.getByLabel('API key').fill(minted.body.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const revoked = await apiCall(url, worker!.adminToken, `/v1/admin/keys/${minted.body.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    await page.getByRole('link', { name: 'Tracks', exact: true }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('no longer accepts this key');
    await shot('revoked-key');
  });

  it('Should let a marketer size a segment live, save it and export its members', async () => {
    await page.getByLabel('API key').fill(marketerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('heading', { level: 1, name: 'Segments', exact: true }).waitFor();
    const rule = { type: 'completed_not_saved', artist_id: ARTIST.id, min_completions: 1, window_days: 28 };
    const api = await apiCall<{ size: number }>(url, marketerKey, '/v1/segments/estimate', { body: { rule } });
    expect(api.body.size).toBeGreaterThan(0);
    await page.getByLabel('Completed plays, at least').fill('1');
    await expect
      .poll(() => page.getByTestId('segment-estimate').textContent(), { timeout: 15_000 })
      .toBe(`${formatCount(api.body.size)} listeners match now`);
    await page.getByLabel('Name').fill('Finished once, never saved');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await page.getByRole('button', { name: 'Export Finished once, never saved as CSV' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export Finished once, never saved as CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toBe('pseudonymous_id');
    expect(csv).toHaveLength(api.body.size + 1);
    await shot('segments');
  });

  it('Should show a campaign with its lift against the holdout', async () => {
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('button', { name: SEEDED_CAMPAIGN }).click();
    await page.getByTestId('lift-chart').waitFor();
    const list = await apiCall<{ campaigns: { id: string; name: string }[] }>(url, marketerKey, '/v1/campaigns');
    const id = list.body.campaigns.find((c) => c.name === SEEDED_CAMPAIGN)?.id;
    const report = await apiCall<{ groups: { group: string; users: number }[] }>(url, marketerKey, `/v1/campaigns/${id}/report`);
    for (const g of report.body.groups) {
      const label = g.group === 'treated' ? 'Treated' : 'Holdout';
      await page.getByText(`${label}: ${formatCount(g.users)} users`).waitFor();
    }
    await page.getByText(/^Streams per user: /).waitFor();
    await shot('campaigns');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
  });
  it('Should render the API reference under its own CSP', async () => {
    const res = await page.goto(`${url}/docs`);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/style-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    await page.getByRole('heading', { level: 1, name: /API reference/ }).waitFor();
    // the nonce'd <style> applied: the body is the 960 px column it sets
    expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).toBe('960px');
    await page.screenshot({ path: join(SHOTS, 'docs.png') });
  });

  it('Should notice a CSP violation when there is one (the watch itself works)', async () => {
    const probe = await browser!.context.newPage();
    probes.add(probe);
    try {
      await probe.goto(`${url}/docs`);
      await probe.evaluate(() => document.body.setAttribute('style', 'color: red'));
      await expect.poll(() => violationsOn(probe).length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(violationsOn(probe).join('\n')).toContain('style-src');
    } finally {
      await probe.close();
    }
  });

  it('Should have seen no CSP violation on the dashboard or /docs in the whole run', () => {
    expect(cspViolations.filter((v) => !(v.page && probes.has(v.page))).map((v) => v.text)).toEqual([]);
  });
});
