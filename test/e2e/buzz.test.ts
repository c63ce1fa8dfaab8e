/**
 * The Press & buzz panel (Insights page) in a real browser against a real Worker: texts sent through
 * POST /v1/texts show as mentions and sentiment charts, a spike, the top articles linked to their
 * pages and the terms used, as the API says them; an artist without press gets the empty state that
 * says how press gets in; the panel fits a phone; no CSP violation.
 * Screenshots land in test-output/screenshots/buzz-*.png.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Buzz } from '../../dashboard/src/lib/api/buzz.ts';
import { formatSentiment, SPIKE_VELOCITY, sentimentWord, spikes } from '../../dashboard/src/lib/buzz.ts';
import { formatDay } from '../../dashboard/src/lib/format.ts';
import { presetRange } from '../../dashboard/src/lib/range.ts';
import { apiCall } from '../../scripts/lib/local-worker.ts';
import { type Browser, hasChromium, INSTALL_HINT, launchBrowser } from './browser.ts';
import { type E2eWorker, startE2eWorker } from './server.ts';
import { dashboardSession, inCi, SHOTS, watchedPage } from './session.ts';

if (!hasChromium && !inCi) console.warn(`\n[e2e] SKIPPED: ${INSTALL_HINT}\n`);

const PRESS = { id: 'a-buzz-copper', name: 'Copper Lanterns' };
const QUIET = { id: 'a-buzz-quiet', name: 'Velvet Static' };
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const TRACKS = [
  { id: 't-buzz-glass', title: 'Glass Harbour', artist: PRESS, duration_ms: 200_000 },
  { id: 't-buzz-north', title: 'Northbound', artist: PRESS, duration_ms: 210_000 },
  { id: 't-buzz-wires', title: 'Morning Wires', artist: QUIET, duration_ms: 190_000 },
];

const POSITIVE = [
  'The band Copper Lanterns have made a dreamy, beautiful album that we love.',
  'On "Glass Harbour", the band Copper Lanterns sound lush and wonderfully confident.',
  'We caught the band Copper Lanterns live, and the set was hypnotic and brilliant.',
];
const NEGATIVE = [
  'The new single "Northbound" by Copper Lanterns is a bland, boring song and a real disappointment.',
  'The band Copper Lanterns sound tired and muddy on their weak new record.',
];

/** Four quiet weeks (one text now and then), then five texts yesterday and two the day before: a spike. */
function pressTexts(now: number) {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const at = [25, 18, 12, 8].map((d) => today - d * DAY_MS + 10 * HOUR_MS);
  for (let k = 0; k < 2; k++) at.push(today - 2 * DAY_MS + (9 + k) * HOUR_MS);
  for (let k = 0; k < 5; k++) at.push(today - DAY_MS + (9 + k) * HOUR_MS);
  return at.map((published_at, i) => {
    const negative = i % 3 === 2;
    const body = (negative ? NEGATIVE : POSITIVE)[i % (negative ? NEGATIVE.length : POSITIVE.length)] as string;
    return {
      id: `buzz-e2e-${i}`,
      url: `https://press.example/reviews/copper-lanterns-${i}`,
      published_at,
      title: negative ? `Copper Lanterns lose their way (${i})` : `Why we love Copper Lanterns right now (${i})`,
      body,
      source: i % 2 === 0 ? 'The Listening Post' : 'B-Side Blog',
    };
  });
}

describe.skipIf(!hasChromium && !inCi)('Press & buzz in chromium', () => {
  let worker: E2eWorker | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let url: string;
  let artistKey: string;
  const cspMessages: string[] = [];
  const s = dashboardSession(
    () => page,
    () => url,
  );
  const range = presetRange(28);
  const panel = () => page.getByTestId('press-buzz');
  const openInsights = async (artist: { id: string; name: string }) => {
    await page.getByLabel('Artist', { exact: true }).selectOption(artist.id);
    await s.nav().getByRole('link', { name: 'Insights' }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`Insights.*${artist.name}`) }).waitFor();
  };

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`[e2e] ${INSTALL_HINT}`);
    mkdirSync(SHOTS, { recursive: true });
    worker = await startE2eWorker();
    url = worker.server.url;
    const admin = worker.adminToken;
    const tracks = await apiCall(url, admin, '/v1/tracks', { method: 'PUT', body: { tracks: TRACKS } });
    if (tracks.status !== 200) throw new Error(`seeding tracks failed: ${tracks.status} ${JSON.stringify(tracks.body)}`);
    const app = await apiCall<{ key: string }>(url, admin, '/v1/admin/keys', { body: { role: 'app', name: 'e2e press feed' } });
    const sent = await apiCall<{ stored: number; mentions: number; rejected: unknown[] }>(url, app.body.key, '/v1/texts', {
      body: { texts: pressTexts(Date.now()) },
    });
    if (sent.status !== 200 || sent.body.mentions === 0)
      throw new Error(`seeding texts failed: ${sent.status} ${JSON.stringify(sent.body)}`);
    const key = await apiCall<{ key: string }>(url, admin, '/v1/admin/keys', {
      body: { role: 'artist', name: 'e2e buzz key', artist_ids: [PRESS.id, QUIET.id] },
    });
    if (key.status !== 201) throw new Error(`minting the artist key failed: ${key.status} ${JSON.stringify(key.body)}`);
    artistKey = key.body.key;
    browser = await launchBrowser();
    page = await watchedPage(browser, cspMessages);
    await s.signIn(artistKey);
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.server.stop();
  });

  it('Should show mentions and sentiment charts, the spike, the top articles linked to their pages and the terms, as the API says', async () => {
    const api = await apiCall<Buzz>(url, artistKey, `/v1/artists/${PRESS.id}/buzz?from=${range.from}&to=${range.to}`);
    expect(api.status).toBe(200);
    expect(api.body.articles.length).toBeGreaterThan(0);
    expect(api.body.terms.length).toBeGreaterThan(0);
    const spike = spikes(api.body.days)[0];
    expect(spike, `a day at velocity ≥ ${SPIKE_VELOCITY}`).toBeDefined();

    await openInsights(PRESS);
    await panel().getByTestId('buzz-articles').waitFor();
    // Both charts and the terms chart are drawn (the axis-fit plugin marks a canvas once it has laid out its labels).
    for (const id of ['buzz-mentions', 'buzz-sentiment', 'buzz-terms']) {
      const canvas = panel().getByTestId(id).locator('canvas');
      await expect.poll(() => canvas.getAttribute('data-axis-overlaps'), { timeout: 15_000 }).toBe('0');
    }
    expect(await panel().getByTestId('buzz-spike').textContent()).toContain(formatDay(spike!.from));

    const links = panel().getByTestId('buzz-articles').getByRole('link');
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(api.body.articles.map((a) => a.url));
    expect(await links.allTextContents()).toEqual(api.body.articles.map((a) => a.title));
    expect(await links.first().getAttribute('rel')).toBe('noopener noreferrer');
    const first = api.body.articles[0]!;
    const firstItem = panel().getByTestId('buzz-articles').locator('li').first();
    expect(await firstItem.textContent()).toContain(first.source);
    expect(await firstItem.getByTestId('article-sentiment').textContent()).toBe(
      `${sentimentWord(first.sentiment)} ${formatSentiment(first.sentiment)}`,
    );

    const terms = panel().getByTestId('buzz-term-list').locator('li');
    expect(await terms.allTextContents()).toEqual(api.body.terms.map((t) => t.term));
    await s.shot('buzz-press');
  });

  it('Should say how press gets in for an artist with no press, with no chart and no article', async () => {
    await openInsights(QUIET);
    await panel().getByText('POST /v1/texts').waitFor();
    expect(await panel().textContent()).toContain(`No article, blog post or review mentions ${QUIET.name}`);
    expect(await panel().locator('canvas').count()).toBe(0);
    expect(await panel().getByRole('link').count()).toBe(0);
    await s.shot('buzz-empty');
  });

  it('Should fit the panel with press into 390 px, with no chart labels overlapping', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await openInsights(PRESS);
      await panel().getByTestId('buzz-articles').waitFor();
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 20_000 });
      const overflow = await panel().evaluate((el) => {
        const limit = document.documentElement.clientWidth;
        return [...el.querySelectorAll('*')].filter((c) => c.getBoundingClientRect().right > limit + 1).map((c) => c.tagName.toLowerCase());
      });
      expect(overflow).toEqual([]);
      const overlaps = await panel()
        .locator('canvas')
        .evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).dataset.axisOverlaps ?? 'not drawn'));
      expect(overlaps).toEqual(['0', '0', '0']);
      await s.shot('buzz-390');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('Should have met no Content Security Policy violation', () => {
    expect(cspMessages).toEqual([]);
  });
});
