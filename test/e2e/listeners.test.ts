/**
 * The listener preview in a real browser against a real Worker: an app key signs in and lands on
 * it, a listener's Daily Mixes, Discover Weekly and Release Radar show as the API serves them, a
 * playlist opens to its tracks with the reason for each, a radio starts from a track, a listener
 * without history gets the empty state, a bad id the API's message; an artist key gets no preview.
 * Screenshots land in test-output/screenshots/listener-*.png.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall } from '../../scripts/lib/local-worker.ts';
import { type Browser, CHROMIUM, hasChromium, INSTALL_HINT, launchBrowser } from './browser.ts';
import { BOTH_SIDES, NO_HISTORY, seedListenerWorld } from './listener-world.ts';
import { E2E_PERSIST, type E2eWorker, startE2eWorker } from './server.ts';
import { dashboardSession, inCi, SHOTS, watchedPage } from './session.ts';

type PlaylistList = { playlists: { kind: string; title: string; tracks: number; period: string | null }[] };
type Playlist = { title: string; cold_start: string; items: { title: string; artist_name: string; reason: string }[] };

describe.skipIf(!hasChromium && !inCi)('Listener preview in chromium', () => {
  let worker: E2eWorker | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let url: string;
  let appKey: string;
  let artistKey: string;
  const cspMessages: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`[e2e] ${INSTALL_HINT} (CI installs it in .ci/run)`);
    mkdirSync(SHOTS, { recursive: true });
    worker = await startE2eWorker();
    url = worker.server.url;
    ({ appKey, artistKey } = await seedListenerWorld(url, worker.adminToken, E2E_PERSIST));
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
  const trackTitles = () => page.getByTestId('playlist-view').getByTestId('track-title').allTextContents();

  async function api<T>(path: string): Promise<T> {
    const res = await apiCall<T>(url, appKey, path);
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  }

  it('Should keep the preview from an artist key: no link in the nav, and a clear message at its URL', async () => {
    await signIn(artistKey);
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
    await nav().getByRole('link', { name: 'Tracks', exact: true }).waitFor();
    expect(await nav().getByRole('link', { name: 'Listener preview' }).count()).toBe(0);
    await page.goto(`${url}/listeners?user=${BOTH_SIDES}`);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('needs an app or admin key');
    expect(await alert.textContent()).toContain('an artist key');
    expect(await page.getByRole('link', { name: 'Discover Weekly' }).count()).toBe(0);
    await shot('listener-denied');
    await signOut();
  });

  it('Should sign an app key in straight to the listener preview, without the artist views', async () => {
    await signIn(appKey);
    await page.getByRole('heading', { level: 1, name: 'Listener preview' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/listeners');
    expect(await nav().getByRole('link').allTextContents()).toEqual(['Listener preview']);
    await page.getByText('Type a listener id to see their playlists.').waitFor();
  });

  it("Should show a listener's Daily Mixes, Discover Weekly and Release Radar as the API serves them", async () => {
    // Keyboard only: type the id and press Enter.
    await page.getByLabel('Listener id').fill(BOTH_SIDES);
    await page.getByLabel('Listener id').press('Enter');
    await page.getByRole('heading', { level: 2, name: `Made for ${BOTH_SIDES}` }).waitFor();
    expect(new URL(page.url()).searchParams.get('user')).toBe(BOTH_SIDES);
    const list = await api<PlaylistList>(`/v1/users/${BOTH_SIDES}/playlists`);
    const mixes = list.playlists.filter((p) => p.kind.startsWith('daily-mix-'));
    // Two sides of taste in the world: two mixes, each titled by its genre.
    expect(mixes.map((m) => m.title).sort()).toEqual(['Bossa Nova Mix', 'Synthwave Mix']);
    const cards = page.locator('[data-testid^="playlist-"]');
    expect(await cards.locator('h3').allTextContents()).toEqual(list.playlists.map((p) => p.title));
    for (const p of list.playlists) {
      const count = await page.getByTestId(`playlist-${p.kind}`).getByTestId('track-count').textContent();
      expect(count, p.kind).toBe(p.tracks === 1 ? '1 track' : `${p.tracks} tracks`);
    }
    expect(list.playlists.find((p) => p.kind === 'discover-weekly')?.tracks).toBe(30);
    expect(await page.getByTestId('playlist-discover-weekly').getByTestId('track-count').textContent()).toBe('30 tracks');
    expect(await page.getByTestId('playlists-summary').textContent()).toBe('2 Daily Mixes, Discover Weekly and Release Radar.');
    expect(await page.getByTestId('no-history').count()).toBe(0);
    await shot('listener-playlists');
  });

  it('Should open a Daily Mix from its card with the keyboard and list its tracks, artists and reasons', async () => {
    const mix = await api<Playlist>(`/v1/users/${BOTH_SIDES}/playlists/daily-mix-1`);
    await page.getByRole('link', { name: mix.title, exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: mix.title }).waitFor();
    expect(await trackTitles()).toEqual(mix.items.map((i) => i.title));
    const reasons = await page.getByTestId('playlist-view').getByTestId('track-reason').allTextContents();
    expect(reasons).toEqual(mix.items.map((i) => i.reason));
    // Half the mix is the listener's own favourites, the rest is there because of what they played.
    expect(reasons).toContain('one of your favourites');
    expect(reasons.some((r) => r.startsWith('because you played'))).toBe(true);
    const first = page.getByTestId('playlist-view').getByTestId('track').first();
    expect(await first.textContent()).toContain(mix.items[0]!.artist_name);
    await shot('listener-daily-mix');
  });

  it('Should open Discover Weekly with its thirty tracks', async () => {
    await page.getByRole('link', { name: `All playlists of ${BOTH_SIDES}` }).click();
    await page.getByRole('link', { name: 'Discover Weekly', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Discover Weekly' }).waitFor();
    const dw = await api<Playlist>(`/v1/users/${BOTH_SIDES}/playlists/discover-weekly`);
    expect(dw.items).toHaveLength(30);
    await expect.poll(trackTitles, { timeout: 15_000 }).toEqual(dw.items.map((i) => i.title));
    expect(await page.getByRole('list', { name: 'Tracks of Discover Weekly' }).getByRole('listitem').count()).toBe(30);
  });

  it('Should start a radio from a track', async () => {
    const seed = (await trackTitles())[0]!;
    await page.getByRole('link', { name: `Start radio from ${seed}` }).click();
    await page.getByRole('heading', { level: 2, name: `${seed} Radio` }).waitFor();
    expect(new URL(page.url()).searchParams.get('radio')).toMatch(/^t-e2e-/);
    await expect.poll(async () => (await trackTitles()).length, { timeout: 15_000 }).toBeGreaterThan(0);
    await shot('listener-radio');
  });

  it('Should fit a 375 px wide phone screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    for (const path of [`/listeners?user=${BOTH_SIDES}`, `/listeners?user=${BOTH_SIDES}&playlist=daily-mix-1`]) {
      await page.goto(`${url}${path}`);
      await page.locator('[data-testid="playlist-view"], [data-testid^="playlist-daily"]').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBe(0);
    }
    await shot('listener-mobile');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('Should show a listener without history no Daily Mix, and popular picks instead', async () => {
    await page.goto(`${url}/listeners?user=${NO_HISTORY}`);
    await page.getByTestId('no-history').waitFor();
    expect(await page.getByTestId('no-history').textContent()).toContain(`${NO_HISTORY} has no listening history yet`);
    expect(await page.getByTestId('playlists-summary').textContent()).toBe('Discover Weekly and Release Radar; no Daily Mix yet.');
    expect(await page.locator('[data-testid^="playlist-daily-mix-"]').count()).toBe(0);
    expect(await page.getByTestId('playlist-discover-weekly').textContent()).toContain('Popular now');
    await shot('listener-no-history');
    await page.getByRole('link', { name: 'Discover Weekly', exact: true }).click();
    await page.getByRole('note').filter({ hasText: 'no listening history yet' }).waitFor();
    const dw = await api<Playlist>(`/v1/users/${NO_HISTORY}/playlists/discover-weekly`);
    expect(dw.cold_start).toBe('popular');
    await expect.poll(async () => (await trackTitles()).length, { timeout: 15_000 }).toBe(dw.items.length);
  });

  it("Should show the API's error message for an id the API refuses, and keep the recent listeners", async () => {
    await page.getByLabel('Listener id').fill('not a valid id');
    await page.getByRole('button', { name: 'Show playlists' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('The request is invalid: userId must be 1–128');
    await alert.getByRole('button', { name: 'Try again' }).waitFor();
    await shot('listener-error');
    // The listeners opened before are one click away; the refused id is not one of them.
    expect(await page.getByRole('link', { name: 'not a valid id' }).count()).toBe(0);
    await page.getByRole('link', { name: BOTH_SIDES, exact: true }).click();
    await page.getByRole('heading', { level: 2, name: `Made for ${BOTH_SIDES}` }).waitFor();
  });

  it('Should forget the recent listeners on sign out, and have seen no CSP violation', async () => {
    expect(await page.evaluate(() => sessionStorage.getItem('backbeat.listeners'))).toContain(BOTH_SIDES);
    await signOut();
    expect(await page.evaluate(() => sessionStorage.getItem('backbeat.listeners'))).toBeNull();
    expect(cspMessages).toEqual([]);
  });

  it('Should show an admin an experiment: the arms side by side, the lift with its interval, and stop it in one click', async () => {
    const admin = worker?.adminToken as string;
    const models = await apiCall<{ active: string }>(url, admin, '/v1/admin/models');
    const started = await apiCall<{ id: string; arms: { name: string; share: number }[] }>(url, admin, '/v1/admin/experiments', {
      body: {
        name: 'E2E model against popularity',
        arms: [
          { name: 'model', model_version: models.body.active },
          { name: 'popular', model_version: models.body.active, settings: { ranker: 'popular' } },
        ],
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    // Listeners of both arms are served and stream the first track of their list.
    for (let u = 0; u < 12; u++) {
      const user = `u-e2e-exp-${u}`;
      const list = await api<{ rec_id: string; items: { track_id: string }[] }>(`/v1/users/${user}/recommendations?limit=5`);
      const first = list.items[0];
      if (!first) continue;
      const ev = await apiCall(url, appKey, '/v1/events', {
        body: {
          events: [
            {
              event_id: `e2e-exp-${u}`,
              user_id: user,
              track_id: first.track_id,
              type: 'play_end',
              ms_played: 120_000,
              ts: Date.now(),
              context: { source: 'algorithmic', rec_id: list.rec_id, position: 0 },
            },
          ],
        },
      });
      expect(ev.status).toBe(200);
    }
    await signIn(admin);
    await nav().getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('heading', { level: 1, name: 'Experiments' }).waitFor();
    await page.getByTestId('experiments-table').getByRole('button', { name: 'E2E model against popularity' }).waitFor();
    const arms = page.getByTestId('arms-table');
    await arms.waitFor();
    const report = await apiCall<{ arms: { arm: string; users: number }[] }>(url, admin, `/v1/admin/experiments/${started.body.id}/report`);
    for (const a of report.body.arms)
      await arms
        .getByRole('row')
        .filter({ hasText: a.arm })
        .filter({ hasText: String(a.users) })
        .first()
        .waitFor();
    await page.getByTestId('experiment-lift-chart').locator('canvas').waitFor();
    await shot('experiments');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect
      .poll(async () => (await apiCall<{ status: string }>(url, admin, `/v1/admin/experiments/${started.body.id}`)).body.status)
      .toBe('stopped');
    await page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'detached' });
    await signOut();
    await signIn(appKey);
    expect(await nav().getByRole('link', { name: 'Experiments' }).count()).toBe(0);
    expect(cspMessages).toEqual([]);
  });
});
