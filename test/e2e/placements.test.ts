/**
 * The artist's Playlists page in a real browser against a real Worker: an artist whose tracks were
 * served in a Daily Mix, listed and played in a published editorial playlist, and added to and
 * played from a listener's own playlist sees the three with the names, positions and streams the
 * API gives, sorts and filters them; a key of another artist reads none of it (the API answers 403,
 * the page says so) and sees the empty state for its own artist.
 * Screenshots land in test-output/screenshots/playlists-*.png.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount } from '../../dashboard/src/lib/format.ts';
import { type Placement, type Placements, playlistName, positionText, signed, utcDay } from '../../dashboard/src/lib/placements.ts';
import { presetRange } from '../../dashboard/src/lib/range.ts';
import { apiCall } from '../../scripts/lib/local-worker.ts';
import { type Browser, CHROMIUM, hasChromium, INSTALL_HINT, launchBrowser } from './browser.ts';
import { type PlacementsWorld, QUIET_ARTIST, seedPlacementsWorld } from './placements-world.ts';
import { E2E_PERSIST, type E2eWorker, startE2eWorker } from './server.ts';
import { dashboardSession, inCi, SHOTS, watchedPage } from './session.ts';

describe.skipIf(!hasChromium && !inCi)('Artist playlists in chromium', () => {
  let worker: E2eWorker | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let url: string;
  let world: PlacementsWorld;
  const cspMessages: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`[e2e] ${INSTALL_HINT} (CI installs it in .ci/run)`);
    mkdirSync(SHOTS, { recursive: true });
    worker = await startE2eWorker();
    url = worker.server.url;
    world = await seedPlacementsWorld(url, worker.adminToken, E2E_PERSIST);
    browser = await launchBrowser();
    page = await watchedPage(browser, cspMessages, (text) => text.includes('403'));
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
  const table = () => page.getByTestId('placements-table');
  const kpi = (id: string) => page.getByTestId(id).locator('[data-kpi-value]').textContent();
  /** The table's rows, each as its cells' text. */
  const bodyRows = async () =>
    Promise.all(
      (await table().locator('tbody tr').all()).map(async (r) => (await r.getByRole('cell').allTextContents()).map((c) => c.trim())),
    );
  const rowOf = (name: string, track: string): Locator => table().getByRole('row').filter({ hasText: name }).filter({ hasText: track });

  async function placements(key: string, artistId: string): Promise<Placements> {
    const r = presetRange(28);
    const res = await apiCall<Placements>(url, key, `/v1/artists/${artistId}/placements?from=${r.from}&to=${r.to}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }
  /** The cells a placement's row should show, as the page formats the API's numbers. */
  const expectedCells = (p: Placement) => [
    positionText(p.position, p.mean_position, p.playlist.type),
    formatCount(p.listeners),
    formatCount(p.impressions),
    formatCount(p.streams),
    signed(p.playlist_adds),
  ];

  it("Should list the Daily Mix, the editorial playlist and the listener's own playlist with the API's names, positions and streams", async () => {
    await signIn(world.artistKey);
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
    await nav().getByRole('link', { name: 'Playlists', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /Playlists/ }).waitFor();
    expect(await nav().getByRole('link', { name: 'Playlists', exact: true }).getAttribute('aria-current')).toBe('page');
    await table().waitFor({ timeout: 15_000 });
    const api = await placements(world.artistKey, world.artist.id);

    const find = (type: string, id: string, trackId: string) => {
      const p = api.placements.find((x) => x.playlist.type === type && x.playlist.id === id && x.track.id === trackId);
      expect(p, `${type} ${id} ${trackId} in ${JSON.stringify(api.placements)}`).toBeDefined();
      return p!;
    };
    const mix = find('generated', 'daily_mix', world.served.trackId);
    const editorial = find('editorial', world.editorial.id, world.editorial.trackId);
    const own = find('user', world.own.id, world.own.trackId);
    // What the world did, as the API counts it.
    expect([mix.playlist.name, mix.via, mix.position, mix.streams, mix.listeners, mix.impressions]).toEqual([
      'Daily Mix',
      'served',
      world.served.bestPosition,
      1,
      1,
      world.served.impressions,
    ]);
    expect([editorial.playlist.name, editorial.position, editorial.streams, editorial.listeners]).toEqual([world.editorial.title, 2, 1, 1]);
    expect([own.playlist.name, own.via, own.position, own.streams, own.listeners, own.playlist_adds]).toEqual([
      null,
      'played',
      null,
      2,
      2,
      1,
    ]);

    // One row per placement, in the API's order (most streams first).
    await expect.poll(async () => (await bodyRows()).length, { timeout: 15_000 }).toBe(api.placements.length);
    expect((await bodyRows()).map((r) => r[6])).toEqual(api.placements.map((p) => formatCount(p.streams)));
    for (const [p, badge] of [
      [mix, 'Generated'],
      [editorial, 'Editorial'],
      [own, 'Listeners’ own'],
    ] as const) {
      const name = playlistName(p.playlist);
      const row = rowOf(name, p.track.title);
      expect(await row.count(), name).toBe(1);
      expect(await row.locator('.badge').textContent()).toBe(badge);
      const cells = (await row.getByRole('cell').allTextContents()).map((c) => c.trim());
      expect(cells[0]).toContain(name);
      expect(cells.slice(1, 3)).toEqual([p.track.title, utcDay(p.since)]);
      expect(cells.slice(3), name).toEqual(expectedCells(p));
    }
    expect(playlistName(own.playlist)).toBe('Listener playlist pl-e2e-4f9…');
    expect((await rowOf(world.editorial.title, world.editorial.trackTitle).getByRole('cell').allTextContents())[3]?.trim()).toBe('2');
    expect((await rowOf('Listener playlist', world.own.title).getByRole('cell').allTextContents())[7]?.trim()).toBe('+1');

    // The summary: distinct playlists and streams by type, as numbers and a chart.
    const byType = (type: string) => api.placements.filter((p) => p.playlist.type === type).reduce((s, p) => s + p.streams, 0);
    expect(await kpi('kpi-playlists')).toBe(formatCount(new Set(api.placements.map((p) => `${p.playlist.type}|${p.playlist.id}`)).size));
    expect(await kpi('kpi-streams-editorial')).toBe(formatCount(byType('editorial')));
    expect(await kpi('kpi-streams-generated')).toBe(formatCount(byType('generated')));
    expect(await kpi('kpi-streams-user')).toBe(formatCount(byType('user')));
    expect(await kpi('kpi-playlist-streams')).toBe(formatCount(api.placements.reduce((s, p) => s + p.streams, 0)));
    const lines = await page.getByTestId('streams-by-type').getByRole('listitem').allTextContents();
    expect(lines.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(new RegExp(`^Editorial ${formatCount(byType('editorial'))} streams? from`)),
      expect.stringMatching(new RegExp(`^Generated ${formatCount(byType('generated'))} streams? from`)),
      expect.stringMatching(new RegExp(`^Listeners’ own ${formatCount(byType('user'))} streams? from 1 playlist`)),
    ]);
    await page.locator('canvas[aria-label="Streams by playlist type"]').waitFor();
    const table_ = page.getByRole('table');
    expect(await table_.locator('caption').textContent()).toContain(world.artist.name);
    expect(await table_.getByRole('columnheader', { name: /Streams/ }).getAttribute('aria-sort')).toBe('descending');
    await shot('playlists');
  });

  it('Should sort by a column both ways and filter by playlist type', async () => {
    const api = await placements(world.artistKey, world.artist.id);
    await page.getByRole('button', { name: /^Track/ }).click();
    const tracks = async () => (await bodyRows()).map((r) => r[1]);
    const titles = api.placements.map((p) => p.track.title);
    expect(await tracks()).toEqual([...titles].sort((a, b) => a.localeCompare(b)));
    expect(await page.getByRole('columnheader', { name: /Track/ }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: /^Track/ }).click();
    expect(await tracks()).toEqual([...titles].sort((a, b) => b.localeCompare(a)));

    // Streams: biggest first, then smallest first.
    const streams = async () => (await bodyRows()).map((r) => Number(r[6]));
    await page.getByRole('button', { name: /^Streams/ }).click();
    const counts = api.placements.map((p) => p.streams);
    expect(await streams()).toEqual([...counts].sort((a, b) => b - a));
    await page.getByRole('button', { name: /^Streams/ }).click();
    expect(await streams()).toEqual([...counts].sort((a, b) => a - b));
    expect(await page.getByRole('columnheader', { name: /Streams/ }).getAttribute('aria-sort')).toBe('ascending');

    const filter = page.getByRole('combobox', { name: 'Playlist type' });
    const options = await filter.locator('option').allTextContents();
    const n = (type: string) => api.placements.filter((p) => p.playlist.type === type).length;
    expect(options).toEqual([
      `All types (${api.placements.length})`,
      `Editorial (${n('editorial')})`,
      `Generated (${n('generated')})`,
      `Listeners’ own (${n('user')})`,
    ]);
    await filter.selectOption('user');
    await expect.poll(async () => (await bodyRows()).length, { timeout: 5_000 }).toBe(n('user'));
    expect((await bodyRows())[0]?.[0]).toMatch(/^Listener playlist pl-e2e-4f9…\s*Listeners’ own$/);
    await filter.selectOption('editorial');
    await expect.poll(async () => (await table().locator('.badge').allTextContents()).length).toBe(n('editorial'));
    expect(new Set(await table().locator('.badge').allTextContents())).toEqual(new Set(['Editorial']));
    await filter.selectOption('generated');
    await expect.poll(async () => (await bodyRows()).length).toBe(n('generated'));
    expect(new Set(await table().locator('.badge').allTextContents())).toEqual(new Set(['Generated']));
    await filter.selectOption('all');
    await expect.poll(async () => (await bodyRows()).length).toBe(api.placements.length);
  });

  it('Should fit a 375 px wide phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.reload();
    await table().waitFor({ timeout: 15_000 });
    const overflow = await page.evaluate(() => {
      const limit = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > limit + 1 && !el.closest('.scroll'))
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
      return { by: document.documentElement.scrollWidth - limit, wide: wide.slice(0, 5) };
    });
    expect(overflow).toEqual({ by: 0, wide: [] });
    await shot('playlists-mobile');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("Should keep this artist's placements from a key bound to another artist", async () => {
    const denied = await apiCall<{ error: { code: string; message: string } }>(
      url,
      world.otherKey,
      `/v1/artists/${world.artist.id}/placements`,
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    await signOut();
    await signIn(world.otherKey);
    // The key's own artist only, and nothing carried it: the empty state says where placements come from.
    await nav().getByRole('link', { name: 'Playlists', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`Playlists · ${QUIET_ARTIST.name}`) }).waitFor();
    await page.getByText("No playlist carried this artist's tracks in this period.").waitFor({ timeout: 15_000 });
    expect(await page.getByText('context.playlist_id').count()).toBe(1);
    expect(await page.getByLabel('Artist', { exact: true }).count()).toBe(0);
    expect(await table().count()).toBe(0);
    await shot('playlists-empty');

    // The page asks for the other artist (as a tampered URL would): the API refuses, the page says so and shows no row.
    await page.route(
      (u) => u.pathname.endsWith('/placements'),
      (route) => {
        const asked = new URL(route.request().url());
        asked.pathname = `/v1/artists/${encodeURIComponent(world.artist.id)}/placements`;
        return route.continue({ url: asked.toString() });
      },
    );
    try {
      await page.reload();
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain(`This key is not bound to artist ${world.artist.id}`);
      expect(await alert.textContent()).toContain('Could not load this');
      await alert.getByRole('button', { name: 'Try again' }).waitFor();
      expect(await table().count()).toBe(0);
      expect(await page.getByText(world.editorial.title).count()).toBe(0);
      await shot('playlists-denied');
    } finally {
      await page.unrouteAll();
    }
  });

  it('Should have seen no CSP violation', async () => {
    await signOut();
    expect(cspMessages).toEqual([]);
  });
});
