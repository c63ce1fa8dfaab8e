/**
 * `npm run import -- --hetrec DIR | --lastfm1k FILE | --spotify-songs FILE [--url URL] [--key KEY]`
 * Loads a public dataset into a running Backbeat (npm start) through its API, with progress and a
 * summary of what was skipped and why. See scripts/demo/README.md for where the datasets come from.
 *
 *   --listeners N    with --spotify-songs: N generated listeners play the real catalogue
 *   --keep-dates     with --lastfm1k: keep the 2005–2009 dates instead of shifting them to now
 *   --max-plays N    with --hetrec: cap on plays per user–artist pair (default 20)
 *
 * `npm run import -- --spotify-history FILES… | --youtube-takeout FILE | --lastfm-scrobbles FILE |
 * --apple-play-activity FILE --user ID [--url URL] [--key KEY]` sends a listener's own export through
 * `POST /v1/users/:id/imports`, split into pieces under the route's 1 MB (scripts/imports/).
 *
 * A bad command line prints one line and exits 2; an instance that does not answer, 1.
 */

import { parseImportArgs } from '../imports/args.ts';
import { runHistoryImport } from '../imports/cli.ts';
import { DEFAULT_PORT, ensureAdminToken } from '../lib/local-worker.ts';
import { refreshAnalytics } from './analytics-refresh.ts';
import type { Dataset } from './importers/dataset.ts';
import { hetrecDataset } from './importers/hetrec.ts';
import { lastfm1kDataset } from './importers/lastfm1k.ts';
import { describeImport, runImport } from './importers/run-import.ts';
import { spotifySongsDataset } from './importers/spotify-songs.ts';
import { terminalReporter } from './progress.ts';

const parsed = parseImportArgs(process.argv.slice(2));
if (!parsed.ok) {
  console.error(parsed.message);
  process.exit(2);
}
const a = parsed.args;
const url = a.url ?? `http://127.0.0.1:${DEFAULT_PORT}`;
// The local admin token (.dev.vars) may write everything; another instance needs --key.
const key = a.key ?? ensureAdminToken();

if (a.kind === 'history') {
  process.exit(await runHistoryImport({ ...a, url, key }));
}

let dataset: Dataset;
if (a.dataset === 'hetrec') dataset = hetrecDataset(a.path, { maxPlaysPerPair: a.maxPlays });
else if (a.dataset === 'lastfm1k') dataset = lastfm1kDataset(a.path, { keepDates: a.keepDates });
else dataset = spotifySongsDataset(a.path, { listeners: a.listeners });

const health = await fetch(`${url}/healthz`).then(
  (r) => r.ok,
  () => false,
);
if (!health) {
  console.error(`No Backbeat answers at ${url}: start it first (npm start -- --no-world for an empty instance).`);
  process.exit(1);
}
const reporter = terminalReporter();
const summary = await runImport(url, key, dataset, reporter);
console.log(describeImport(summary));
// Imported months of history leave their days stale until the rollups are refreshed (no cron locally).
const bar = reporter.bar('analytics rollups', 1, 'days');
const refresh = await refreshAnalytics(url, key, (done, total) => bar.update(done, total)).catch((err: unknown) => {
  console.error(`analytics refresh failed: ${(err as Error).message}`);
  return null;
});
bar.stop();
if (refresh?.available) console.log(`  analytics rollups refreshed for ${refresh.refreshed} days`);
