/**
 * Sends a dataset into a running Backbeat through the public API (tracks, listener profiles, events,
 * 500 a request) and sums up what was stored, what the API rejected and what the importer skipped.
 */
import type { Reporter } from '../progress.ts';
import { type BatchAnswer, chunks, chunksAsync, HttpError, sendAll } from '../send-batches.ts';
import type { Dataset } from './dataset.ts';

export interface ImportSummary {
  dataset: string;
  tracks: { sent: number; accepted: number };
  users: { sent: number; accepted: number } | 'skipped';
  events: { sent: number; accepted: number; stored: number };
  /** A sample of what the API rejected (field paths and messages). */
  apiRejected: BatchAnswer['rejected'];
  /** Lines the importer could not use, by reason. */
  skipped: string[];
  skippedTotal: number;
  notes: string[];
  seconds: number;
}

/**
 * @example const summary = await runImport(url, key, hetrecDataset('/data/hetrec'), terminalReporter());
 */
export async function runImport(url: string, key: string, dataset: Dataset, reporter: Reporter, concurrency = 4): Promise<ImportSummary> {
  const t0 = performance.now();
  reporter.line(`• importing ${dataset.name} into ${url}`);
  const tracks = await dataset.tracks();
  const trackBar = reporter.bar('tracks', tracks.length, 'tracks');
  let done = 0;
  const t = await sendAll(url, key, 'PUT', '/v1/tracks', 'tracks', chunks(tracks, 500), {
    concurrency,
    onBatch: (_, n) => {
      done += n;
      trackBar.update(done);
    },
  });
  trackBar.stop();

  const users = await dataset.users();
  let u: ImportSummary['users'] = { sent: 0, accepted: 0 };
  if (users.length > 0) {
    const userBar = reporter.bar('listener profiles', users.length, 'users');
    done = 0;
    try {
      const r = await sendAll(url, key, 'PUT', '/v1/users', 'users', chunks(users, 500), {
        concurrency,
        onBatch: (_, n) => {
          done += n;
          userBar.update(done);
        },
      });
      u = { sent: r.items, accepted: r.accepted };
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 404)) throw err;
      u = 'skipped';
      reporter.line('↷ this Worker has no PUT /v1/users: listener profiles skipped');
    } finally {
      userBar.stop();
    }
  }

  // The length of a streamed log is unknown up front: the bar's end moves ahead of the count.
  const eventBar = reporter.bar('events', 100_000, 'events');
  done = 0;
  const e = await sendAll(url, key, 'POST', '/v1/events', 'events', chunksAsync(dataset.events(), 500), {
    concurrency,
    onBatch: (_, n) => {
      done += n;
      eventBar.update(done, Math.ceil((done + 1) / 100_000) * 100_000);
    },
  });
  eventBar.update(done, Math.max(done, 1));
  eventBar.stop();

  return {
    dataset: dataset.name,
    tracks: { sent: t.items, accepted: t.accepted },
    users: u,
    events: { sent: e.items, accepted: e.accepted, stored: e.stored },
    apiRejected: [...t.rejected, ...e.rejected].slice(0, 20),
    skipped: dataset.issues.describe(),
    skippedTotal: dataset.issues.total,
    notes: dataset.notes,
    seconds: (performance.now() - t0) / 1000,
  };
}

export function describeImport(s: ImportSummary): string {
  const users =
    s.users === 'skipped'
      ? 'skipped (no profile endpoint)'
      : s.users.sent === 0
        ? 'none in this dataset'
        : `${s.users.accepted} of ${s.users.sent} accepted`;
  const lines = [
    '',
    `Imported ${s.dataset} in ${s.seconds.toFixed(1)} s`,
    `  tracks   ${s.tracks.accepted} of ${s.tracks.sent} accepted`,
    `  profiles ${users}`,
    `  events   ${s.events.accepted} of ${s.events.sent} accepted`,
    ...s.notes.map((n) => `  note: ${n}`),
  ];
  if (s.skippedTotal > 0) lines.push(`  skipped ${s.skippedTotal} input lines:`, ...s.skipped.map((l) => `  ${l}`));
  else lines.push('  no input line skipped');
  if (s.apiRejected.length > 0) {
    lines.push('  rejected by the API (sample):');
    for (const r of s.apiRejected.slice(0, 5))
      lines.push(`    ${r.id ?? `#${r.index}`}: ${r.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
  }
  return lines.join('\n');
}
