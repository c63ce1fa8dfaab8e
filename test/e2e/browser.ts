/** The browser tests drive the same chromium setup as `npm run bench:dashboard`. */
export * from '../../scripts/lib/browser.ts';
