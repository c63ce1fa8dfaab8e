/**
 * Loads a generated world into a running Backbeat through its public API: catalogue (PUT /v1/tracks),
 * listener profiles (PUT /v1/users), the home lists served in the history (POST /v1/admin/served-lists,
 * 200 a request) and the history itself (POST /v1/events), 500 items a request.
 */
import { chunks, HttpError, sendAll } from './send-batches.ts';
import type { World } from './world.ts';

export type LoadPhase = 'tracks' | 'users' | 'lists' | 'events';

export interface LoadProgress {
  phase: LoadPhase;
  /** Items sent so far in this phase. */
  done: number;
  /** Items in this phase (events: an estimate until the phase ends). */
  total: number;
}

export interface LoadSummary {
  tracks: number;
  users: number | 'skipped';
  /** Served home lists of the history. */
  lists: number;
  events: { sent: number; stored: number; duplicates: number; rejected: number };
  rejectedSample: { index: number; id: string | null; errors: { path: string; message: string }[] }[];
  seconds: number;
}

/**
 * @example
 * const summary = await loadWorld('http://127.0.0.1:8787', appKey, generateWorld({ users: 500 }), {
 *   onProgress: (p) => bars[p.phase].update(p.done, { total: p.total }),
 * });
 */
export async function loadWorld(
  url: string,
  key: string,
  world: World,
  opts: { onProgress?: (p: LoadProgress) => void; concurrency?: number; batchSize?: number } = {},
): Promise<LoadSummary> {
  const t0 = performance.now();
  const size = opts.batchSize ?? 500;
  const concurrency = opts.concurrency ?? 4;
  const progress = (phase: LoadPhase, total: number) => {
    let done = 0;
    opts.onProgress?.({ phase, done, total });
    return (_: unknown, n: number) => {
      done += n;
      opts.onProgress?.({ phase, done: Math.min(done, total), total: Math.max(total, done) });
    };
  };

  const tracks = await sendAll(url, key, 'PUT', '/v1/tracks', 'tracks', chunks(world.tracks, size), {
    concurrency,
    onBatch: progress('tracks', world.tracks.length),
  });
  let users: number | 'skipped';
  try {
    const u = await sendAll(url, key, 'PUT', '/v1/users', 'users', chunks(world.users(), size), {
      concurrency,
      onBatch: progress('users', world.config.users),
    });
    users = u.accepted;
  } catch (err) {
    // Older Workers have no profile endpoint: events still create the listeners, only time zones are lost.
    if (err instanceof HttpError && err.status === 404) users = 'skipped';
    else throw err;
  }
  // Before the plays that carry their rec_ids; an older Worker without the route loses only reach history.
  let lists = 0;
  try {
    const sent = await sendAll(url, key, 'POST', '/v1/admin/served-lists', 'lists', chunks(world.servedLists(), 200), {
      concurrency,
      onBatch: progress('lists', Math.round((world.config.users * world.config.eventsPerUser) / 14 / 3)),
    });
    lists = sent.accepted;
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 404)) throw err;
  }
  const estimate = world.config.users * world.config.eventsPerUser;
  const events = await sendAll(url, key, 'POST', '/v1/events', 'events', world.eventBatches(size), {
    concurrency,
    onBatch: progress('events', estimate),
  });
  return {
    tracks: tracks.accepted,
    users,
    lists,
    events: {
      sent: events.items,
      stored: events.stored,
      duplicates: Math.max(0, events.accepted - events.stored),
      rejected: events.items - events.accepted,
    },
    rejectedSample: [...tracks.rejected, ...events.rejected].slice(0, 20),
    seconds: (performance.now() - t0) / 1000,
  };
}
