/**
 * What every browser test of a dashboard section shares: a page whose errors reach the test output
 * and whose CSP violations are collected, screenshots taken once nothing is loading, and signing in
 * and out as a person does.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/local-worker.ts';
import type { Browser } from './browser.ts';

export const SHOTS = join(ROOT, 'test-output/screenshots');
export const inCi = process.env.CI === 'true' || process.env.CI === '1';

/**
 * A new page of `browser`: page errors and console errors are printed (unless `quiet` says a console
 * error is expected), console CSP reports are pushed to `cspMessages`.
 */
export async function watchedPage(browser: Browser, cspMessages: string[], quiet: (text: string) => boolean = () => false): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error(`[e2e] page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) cspMessages.push(m.text());
    else if (m.type() === 'error' && !quiet(m.text())) console.error(`[e2e] console: ${m.text()}`);
  });
  return page;
}

/** Screenshot, sign-in, sign-out and the nav of `page`, for the dashboard at `url()` (read when called). */
export function dashboardSession(page: () => Page, url: () => string) {
  return {
    /** A full-page screenshot once nothing on the page is loading any more. */
    shot: async (name: string) => {
      await page().waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 20_000 });
      await page().screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    signIn: async (key: string) => {
      await page().goto(url());
      await page().getByLabel('API key').fill(key);
      await page().getByRole('button', { name: 'Sign in' }).click();
      await page().getByRole('button', { name: 'Sign out' }).waitFor();
    },
    signOut: async () => {
      await page().getByRole('button', { name: 'Sign out' }).click();
      await page().getByLabel('API key').waitFor();
    },
    nav: () => page().getByRole('navigation', { name: 'Views' }),
  };
}
