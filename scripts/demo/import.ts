/**
 * `npm run import -- --hetrec DIR | --lastfm1k FILE | --spotify-songs FILE [--url URL] [--key KEY]`
 * Loads a public dataset into a running Backbeat (npm start) through its API, with progress and a
 * summary of what was skipped and why. See scripts/demo/README.md for where the datasets come from.
 *
 *   --listeners N    with --spotify-songs: N generated listeners play the real catalogue
 *   --keep-dates     with --lastfm1k: keep the 2005–2009 dates instead of shifting them to now
 *   --max-plays N    with --hetrec: cap on plays per user–artist pair (default 20)
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PORT, ensureAdminToken } from '../lib/local-worker.ts';
import { refreshAnalytics } from './analytics-refresh.ts';
import type { Dataset } from './importers/dataset.ts';
import { hetrecDataset } from './importers/hetrec.ts';
import { lastfm1kDataset } from './importers/lastfm1k.ts';
import { describeImport, runImport } from './importers/run-import.ts';
import { spotifySongsDataset } from './importers/spotify-songs.ts';
import { terminalReporter } from './progress.ts';

const { values: a } = parseArgs({
  options: {
    hetrec: { type: 'string' },
    lastfm1k: { type: 'string' },
    'spotify-songs': { type: 'string' },
    url: { type: 'string', default: `http://127.0.0.1:${DEFAULT_PORT}` },
    key: { type: 'string' },
    listeners: { type: 'string', default: '0' },
    'keep-dates': { type: 'boolean', default: false },
    'max-plays': { type: 'string', default: '20' },
  },
});

const chosen = [a.hetrec, a.lastfm1k, a['spotify-songs']].filter(Boolean);
if (chosen.length !== 1) {
  console.error('usage: npm run import -- (--hetrec DIR | --lastfm1k FILE | --spotify-songs FILE [--listeners N]) [--url URL] [--key KEY]');
  process.exit(2);
}
let dataset: Dataset;
if (a.hetrec) dataset = hetrecDataset(a.hetrec, { maxPlaysPerPair: Number(a['max-plays']) });
else if (a.lastfm1k) dataset = lastfm1kDataset(a.lastfm1k, { keepDates: a['keep-dates'] });
else dataset = spotifySongsDataset(a['spotify-songs'] as string, { listeners: Number(a.listeners) });

// The local admin token (.dev.vars) may write everything; another instance needs --key.
const key = a.key ?? ensureAdminToken();
const health = await fetch(`${a.url}/healthz`).then(
  (r) => r.ok,
  () => false,
);
if (!health) {
  console.error(`No Backbeat answers at ${a.url}: start it first (npm start -- --no-world for an empty instance).`);
  process.exit(1);
}
const reporter = terminalReporter();
const summary = await runImport(a.url, key, dataset, reporter);
console.log(describeImport(summary));
// Imported months of history leave their days stale until the rollups are refreshed (no cron locally).
const bar = reporter.bar('analytics rollups', 1, 'days');
const refresh = await refreshAnalytics(a.url, key, (done, total) => bar.update(done, total)).catch((err: unknown) => {
  console.error(`analytics refresh failed: ${(err as Error).message}`);
  return null;
});
bar.stop();
if (refresh?.available) console.log(`  analytics rollups refreshed for ${refresh.refreshed} days`);
