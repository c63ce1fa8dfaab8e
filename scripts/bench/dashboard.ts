/**
 * `npm run bench:dashboard`: how long the dashboard Overview takes to be ready, in Debian's chromium,
 * against a running instance (by default the one `npm start` leaves running, with its simulator).
 *
 * Signs in with the artist key, then switches period and artist in turn. Each sample is the time from
 * the action until the view is ready: the Overview's five analytics answers (overview and four
 * series) have arrived, the KPI cards show numbers and the "as of" line is up. Prints p50/p95/max.
 *
 * Options: --url URL (http://127.0.0.1:8787) --key ARTIST_KEY (default: the artist key npm start
 * saved in .data/demo.json) --samples N (20).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { DEFAULT_STATE_FILE } from '../demo/state.ts';
import { hasChromium, INSTALL_HINT, launchBrowser } from '../lib/browser.ts';
import { formatMs, percentile } from '../lib/stats.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8787' },
    key: { type: 'string' },
    samples: { type: 'string', default: '20' },
  },
});
const samples = Number(values.samples);
if (!Number.isInteger(samples) || samples < 1) throw new Error('--samples must be a positive integer');
if (!hasChromium) throw new Error(INSTALL_HINT);

function savedArtistKey(): string {
  try {
    const state = JSON.parse(readFileSync(DEFAULT_STATE_FILE, 'utf8')) as { keys?: { artist?: { key?: string } } };
    if (state.keys?.artist?.key) return state.keys.artist.key;
  } catch {
    // fall through to the error below
  }
  throw new Error(`no artist key: pass --key, or run npm start first (it saves one in ${DEFAULT_STATE_FILE})`);
}
const key = values.key ?? savedArtistKey();

const ANALYTICS = /\/v1\/artists\/[^/]+\/(overview|timeseries)\b/;
const ANSWERS_PER_OVERVIEW = 5;

/** Runs `action` and resolves with the ms until the Overview it triggers is ready. */
async function timeOverview(page: Page, action: () => Promise<void>): Promise<number> {
  let answers = 0;
  let resolveAll: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  const onResponse = (res: { url(): string }) => {
    if (ANALYTICS.test(res.url()) && ++answers === ANSWERS_PER_OVERVIEW) resolveAll();
  };
  page.on('response', onResponse);
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the Overview got ${answers} of its ${ANSWERS_PER_OVERVIEW} answers in 30 s`)), 30_000);
  });
  try {
    await action();
    await Promise.race([all, timeout]);
    await page.getByTestId('as-of').waitFor();
    await page.getByTestId('kpi-streams').locator('[data-kpi-value]').filter({ hasText: /\d/ }).waitFor();
    return performance.now() - start;
  } finally {
    clearTimeout(timer);
    page.off('response', onResponse);
  }
}

/** Picks, in turn, the next option of a select that differs from the one shown, and selects it. */
async function selectNext(page: Page, label: string, values: readonly string[]): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  const current = await select.inputValue();
  const next = values[(values.indexOf(current) + 1) % values.length] as string;
  await select.selectOption(next);
}

const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  await page.goto(values.url);
  await page.getByLabel('API key').fill(key);
  const signIn = await timeOverview(page, () => page.getByRole('button', { name: 'Sign in' }).click());
  const artists = await page
    .getByLabel('Artist')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  const periods = await page
    .getByLabel('Period', { exact: true })
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => /^\d+$/.test(v)));
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const [label, options] = i % 2 === 1 && artists.length > 1 ? (['Artist', artists] as const) : (['Period', periods] as const);
    const ms = await timeOverview(page, () => selectNext(page, label, options)).catch((err: Error) => {
      throw new Error(`sample ${i}, ${label} switch: ${err.message}`);
    });
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  console.log(`Overview ready after sign-in: ${formatMs(signIn)}`);
  console.log(
    `Overview ready after a period or artist switch (${samples} samples over ${artists.length} artists, periods ${periods.join('/')} days): ` +
      `p50 ${formatMs(percentile(times, 50))}  p95 ${formatMs(percentile(times, 95))}  max ${formatMs(times.at(-1) as number)}`,
  );
} finally {
  await browser.close();
}
