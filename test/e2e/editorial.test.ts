/**
 * The editor section in a real browser against a real Worker: an artist key gets no editor pages;
 * an editor key signs in to them alone, builds a playlist from the catalogue search, reorders it
 * with the keyboard, saves, sees the API's errors next to their fields, publishes it and finds it
 * listed as published; the published slot puts its best-fitting track at position 3 of a matching
 * listener's home list (source `editorial`); its numbers show as the API counts them.
 * Screenshots land in test-output/screenshots/editorial-*.png.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../../scripts/lib/local-worker.ts';
import { type Browser, CHROMIUM, hasChromium, INSTALL_HINT, launchBrowser } from './browser.ts';
import { BOSSA_FAN, BOTH_SIDES, SYNTH_FAN, seedEditorWorld } from './editor-world.ts';
import { E2E_PERSIST, type E2eWorker, startE2eWorker } from './server.ts';
import { dashboardSession, inCi, SHOTS, watchedPage } from './session.ts';

type Editorial = { id: string; title: string; status: string; tracks: { track_id: string; title: string | null }[] };
type Recs = { items: { track_id: string; source: string; playlist_id: string | null; reason: string }[] };
type Stats = {
  listeners_reached: number;
  impressions: number;
  streams: number;
  saves: number;
  tracks: { track_id: string; impressions: number; streams: number; saves: number }[];
};

/** The world's tracks the test adds: artists K and M of synthwave (track k of artist a is t-e2e-syn-a-k). */
const LASER = { id: 't-e2e-syn-10-0', title: 'Laser 21', artist: 'Neon K' };
const SKYLINE = { id: 't-e2e-syn-10-1', title: 'Skyline 22', artist: 'Neon K' };
const GRID = { id: 't-e2e-syn-12-0', title: 'Grid 25', artist: 'Neon M' };
const CHROME = { id: 't-e2e-syn-12-1', title: 'Chrome 26', artist: 'Neon M' };
const TITLE = 'Night Drive';

describe.skipIf(!hasChromium && !inCi)('Editorial playlists in chromium', () => {
  let worker: E2eWorker | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let url: string;
  let adminToken: string;
  let appKey: string;
  let artistKey: string;
  let editorKey: string;
  let playlistId: string;
  const cspMessages: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`[e2e] ${INSTALL_HINT} (CI installs it in .ci/run)`);
    mkdirSync(SHOTS, { recursive: true });
    worker = await startE2eWorker();
    url = worker.server.url;
    adminToken = worker.adminToken;
    ({ appKey, artistKey, editorKey } = await seedEditorWorld(url, adminToken, E2E_PERSIST));
    browser = await launchBrowser();
    page = await watchedPage(browser, cspMessages);
    console.log(`[e2e] chromium ${CHROMIUM}, worker ${url}`);
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.server.stop();
  });

  const { shot, signIn, signOut, nav } = dashboardSession(
    () => page,
    () => url,
  );
  const listedTitles = () => page.getByTestId('playlist-track-title').allTextContents();
  const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

  async function api<T>(key: string, path: string): Promise<T> {
    const res = await apiCall<T>(url, key, path);
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  }

  async function search(q: string, expected: string) {
    await page.getByLabel('Search the catalogue').fill(q);
    await page.getByRole('button', { name: expected }).waitFor({ timeout: 15_000 });
  }

  it('Should keep the editor pages from an artist key: no link in the nav, and a clear message at their URL', async () => {
    await signIn(artistKey);
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
    await nav().getByRole('link', { name: 'Tracks', exact: true }).waitFor();
    expect(await nav().getByRole('link', { name: 'Editorial playlists' }).count()).toBe(0);
    for (const path of ['/editorial', '/editorial/new']) {
      await page.goto(`${url}${path}`);
      const alert = page.getByTestId('editor-denied');
      await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('need an editor or admin key');
      expect(await alert.textContent()).toContain('an artist key');
      expect(await page.getByLabel('Title').count(), path).toBe(0);
      expect(await page.getByRole('link', { name: 'New playlist' }).count(), path).toBe(0);
    }
    await shot('editorial-denied');
    await signOut();
  });

  it('Should sign an editor key in to the editorial playlists alone, without artist pages or the listener preview', async () => {
    await signIn(editorKey);
    await page.getByRole('heading', { level: 1, name: 'Editorial playlists' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/editorial');
    expect(await nav().getByRole('link').allTextContents()).toEqual(['Editorial playlists']);
    await page.getByText('No editorial playlists yet.').waitFor();
    // The listener preview is not this key's either.
    await page.goto(`${url}/listeners`);
    await page.getByText('The listener preview needs an app or admin key.').waitFor();
    await page.goto(`${url}/editorial`);
    await page.getByText('No editorial playlists yet.').waitFor();
  });

  it('Should refuse to publish an empty playlist, saying so next to its tracks, and keep it a draft', async () => {
    await page.getByRole('link', { name: 'New playlist' }).click();
    await page.getByRole('heading', { level: 1, name: 'New playlist' }).waitFor();
    await page.getByLabel('Title').fill('Empty shelf');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    // Publishing a new playlist creates it first, then the API refuses the empty one.
    await page.waitForURL(/\/editorial\/ed_/);
    const err = page.locator('#err-tracks');
    await expect.poll(() => err.textContent(), { timeout: 15_000 }).toContain('at least one track');
    expect(await page.getByTestId('form-error').textContent()).toContain('at least one track');
    expect(await page.getByTestId('playlist-status').textContent()).toBe('Draft');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('catalogue-search');
    await page.getByRole('link', { name: '← All editorial playlists' }).click();
    await page.getByTestId('editorial-table').getByRole('link', { name: 'Empty shelf' }).waitFor();
  });

  it('Should build a playlist from the catalogue search, reorder it with the keyboard and create it in that order', async () => {
    await page.getByRole('link', { name: 'New playlist' }).click();
    await page.getByLabel('Title').fill(TITLE);
    await page.getByLabel('Description').fill('Synthwave for the road');
    await search('Neon K', `Add ${LASER.title} by ${LASER.artist}`);
    expect(await page.getByTestId('search-status').textContent()).toBe('2 tracks found.');
    const results = await page.getByTestId('search-results').textContent();
    expect(results).toContain(`${SKYLINE.title}`);
    expect(results).toContain('Neon K · synthwave');
    await page.getByRole('button', { name: `Add ${LASER.title} by ${LASER.artist}` }).click();
    await page.getByRole('button', { name: `Add ${SKYLINE.title} by ${SKYLINE.artist}` }).click();
    // An added track cannot be added twice.
    expect(await page.getByRole('button', { name: `${LASER.title} by ${LASER.artist} is in the playlist` }).isDisabled()).toBe(true);
    await search('Neon M', `Add ${GRID.title} by ${GRID.artist}`);
    await page.getByRole('button', { name: `Add ${GRID.title} by ${GRID.artist}` }).click();
    await page.getByRole('button', { name: `Add ${CHROME.title} by ${CHROME.artist}` }).click();
    expect(await listedTitles()).toEqual([LASER.title, SKYLINE.title, GRID.title, CHROME.title]);
    await page.getByRole('button', { name: `Remove ${CHROME.title}` }).click();
    expect(await listedTitles()).toEqual([LASER.title, SKYLINE.title, GRID.title]);

    // Keyboard only: Enter on "Move up" twice takes Grid 25 to the top; focus follows the track.
    await page.getByRole('button', { name: `Move ${GRID.title} up` }).focus();
    await page.keyboard.press('Enter');
    expect(await listedTitles()).toEqual([LASER.title, GRID.title, SKYLINE.title]);
    expect(await focusedLabel()).toBe(`Move ${GRID.title} up`);
    await page.keyboard.press('Enter');
    expect(await listedTitles()).toEqual([GRID.title, LASER.title, SKYLINE.title]);
    // At the top "Move up" is disabled: focus moved to its "Move down".
    expect(await page.getByRole('button', { name: `Move ${GRID.title} up` }).isDisabled()).toBe(true);
    expect(await focusedLabel()).toBe(`Move ${GRID.title} down`);

    await page.getByLabel('Genres').fill('Synthwave');
    await page.getByLabel('At a position').check();
    await page.getByLabel('Position', { exact: true }).fill('3');
    expect(await page.getByLabel('Surfaces').inputValue()).toBe('home');
    expect(await page.getByTestId('unsaved').count()).toBe(1);
    await shot('editorial-new');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.waitForURL(/\/editorial\/ed_[0-9a-f]+$/);
    await page.getByTestId('form-message').filter({ hasText: 'Created as a draft.' }).waitFor();
    playlistId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    const saved = await api<Editorial>(editorKey, `/v1/editorial/playlists/${playlistId}`);
    expect(saved.title).toBe(TITLE);
    expect(saved.status).toBe('draft');
    expect(saved.tracks.map((t) => t.track_id)).toEqual([GRID.id, LASER.id, SKYLINE.id]);
    expect(await page.getByTestId('unsaved').count()).toBe(0);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
  });

  it('Should save a new order with Save (the whole list, PATCH)', async () => {
    await page.getByRole('button', { name: `Move ${SKYLINE.title} up` }).click();
    expect(await listedTitles()).toEqual([GRID.title, SKYLINE.title, LASER.title]);
    await page.getByTestId('unsaved').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('form-message').filter({ hasText: 'Saved at' }).waitFor();
    const saved = await api<Editorial>(editorKey, `/v1/editorial/playlists/${playlistId}`);
    expect(saved.tracks.map((t) => t.track_id)).toEqual([GRID.id, SKYLINE.id, LASER.id]);
    // A reload shows the saved order.
    await page.reload();
    await page.getByTestId('playlist-tracks').waitFor();
    expect(await listedTitles()).toEqual([GRID.title, SKYLINE.title, LASER.title]);
    expect(await page.getByLabel('Genres').inputValue()).toBe('synthwave');
  });

  it("Should show the API's message next to the field it names, and save nothing", async () => {
    await page.getByLabel('Countries').fill('Germany');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const err = page.locator('#err-countries');
    await expect.poll(() => err.textContent(), { timeout: 15_000 }).toContain('ISO 3166-1 alpha-2');
    expect(await page.getByLabel('Countries').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pl-countries');
    expect(await page.getByTestId('form-error').textContent()).toContain('The request is invalid');
    await shot('editorial-field-error');
    const stored = await api<{ target: { countries: string[] } }>(editorKey, `/v1/editorial/playlists/${playlistId}`);
    expect(stored.target.countries).toEqual([]);
    await page.getByLabel('Countries').fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('form-message').filter({ hasText: 'Saved at' }).waitFor();
    expect(await page.locator('#err-countries').count()).toBe(0);
  });

  it('Should publish the playlist and list it as published, next to the draft', async () => {
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => page.getByTestId('playlist-status').textContent(), { timeout: 15_000 }).toBe('Published');
    expect(await page.getByTestId('form-message').textContent()).toContain('Published');
    expect((await api<Editorial>(editorKey, `/v1/editorial/playlists/${playlistId}`)).status).toBe('published');
    await page.getByRole('button', { name: 'Unpublish', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);

    await page.getByRole('link', { name: '← All editorial playlists' }).click();
    const table = page.getByTestId('editorial-table');
    await table.getByRole('link', { name: TITLE }).waitFor();
    const cells = (name: string) => table.getByRole('row').filter({ hasText: name }).getByRole('cell').allTextContents();
    const row = await cells(TITLE);
    expect(row.slice(0, 4)).toEqual([TITLE, 'Published', '3', '3']);
    expect(row[4]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect((await cells('Empty shelf')).slice(0, 4)).toEqual(['Empty shelf', 'Draft', '0', 'None']);
    await shot('editorial-list');
    await page.getByRole('combobox', { name: 'Show' }).selectOption('published');
    await page.waitForURL(/status=published/);
    await expect.poll(() => table.getByRole('link').allTextContents(), { timeout: 15_000 }).toEqual([TITLE]);
  });

  it("Should put the published playlist's best-fitting track at position 3 of a synthwave listener's home list, as source editorial", async () => {
    const ids = [GRID.id, SKYLINE.id, LASER.id];
    const recs = await api<Recs>(appKey, `/v1/users/${BOTH_SIDES}/recommendations?limit=10`);
    const editorial = recs.items.filter((i) => i.source === 'editorial');
    expect(editorial).toHaveLength(1);
    const third = recs.items[2]!;
    expect(third.source).toBe('editorial');
    expect(third.playlist_id).toBe(playlistId);
    expect(ids).toContain(third.track_id);
    expect(third.reason).toBe(`editors' pick from "${TITLE}"`);
    // The target names synthwave: a bossa nova fan's list has no editorial pick.
    const other = await api<Recs>(appKey, `/v1/users/${BOSSA_FAN}/recommendations?limit=10`);
    expect(other.items.filter((i) => i.source === 'editorial')).toEqual([]);
  });

  it("Should show the playlist's numbers as the API counts them", async () => {
    // A synthwave fan plays one of its tracks from the playlist itself and saves it.
    // Ten minutes ago: the whole play and the save lie in the past (the numbers' window ends now).
    const ts = Date.now() - 600_000;
    const context = { source: 'editorial', playlist_id: playlistId, device: 'web' };
    const events = [
      { event_id: 'e2e-ed-1', user_id: SYNTH_FAN, track_id: LASER.id, type: 'play_start', ts, context },
      { event_id: 'e2e-ed-2', user_id: SYNTH_FAN, track_id: LASER.id, type: 'play_end', ts: ts + 190_000, ms_played: 190_000, context },
      { event_id: 'e2e-ed-3', user_id: SYNTH_FAN, track_id: LASER.id, type: 'save', ts: ts + 191_000, context },
    ];
    const sent = await apiCall(url, adminToken, '/v1/events', { body: { events } });
    expect([200, 202]).toContain(sent.status);
    // Impressions are logged after the list is served: wait until the API counts them.
    let stats: Stats | undefined;
    await expect
      .poll(
        async () => {
          stats = await api<Stats>(editorKey, `/v1/editorial/playlists/${playlistId}/stats?days=28`);
          return stats.impressions > 0 && stats.streams > 0;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    const s = stats!;
    expect(s.streams).toBe(1);
    expect(s.saves).toBe(1);
    expect(s.listeners_reached).toBeGreaterThanOrEqual(2);

    await page.goto(`${url}/editorial/${playlistId}`);
    const kpi = (id: string) => page.getByTestId(id).locator('[data-kpi-value]');
    await kpi('kpi-streams').waitFor({ timeout: 15_000 });
    expect(await kpi('kpi-listeners').textContent()).toBe(String(s.listeners_reached));
    expect(await kpi('kpi-impressions').textContent()).toBe(String(s.impressions));
    expect(await kpi('kpi-streams').textContent()).toBe('1');
    expect(await kpi('kpi-saves').textContent()).toBe('1');
    const laser = s.tracks.find((t) => t.track_id === LASER.id)!;
    const row = await page
      .getByTestId('editorial-track-numbers')
      .getByRole('row')
      .filter({ hasText: LASER.title })
      .getByRole('cell')
      .allTextContents();
    expect(row).toEqual(['3', LASER.title, String(laser.impressions), '1', '1', '0']);
    await page.locator('canvas[aria-label="Streams, saves and skips per track"]').waitFor();
    await shot('editorial-numbers');
  });

  it('Should fit a 375 px wide phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    for (const path of ['/editorial', `/editorial/${playlistId}`, '/editorial/new']) {
      await page.goto(`${url}${path}`);
      await page.locator('[data-testid="editorial-table"], form[aria-label="Playlist editor"]').first().waitFor({ timeout: 15_000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBe(0);
      if (path !== '/editorial') await shot(path === '/editorial/new' ? 'editorial-mobile-new' : 'editorial-mobile');
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('Should have seen no CSP violation', async () => {
    await signOut();
    expect(cspMessages).toEqual([]);
  });
});
