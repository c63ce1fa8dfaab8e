/**
 * One catalogue view per isolate and model version. A view older than CATALOGUE_TTL_MS (5 min) is served
 * while a fresh one is built in the background (waitUntil), so only the first request of a
 * version pays for reading the catalogue. New tracks do not wait for that: every request reads
 * the rows updated since the view's watermark (one index range, usually empty) and extends the
 * view with them, in this isolate and in every other one that serves a request.
 */

import type { Db } from '../db/client.ts';
import { catalogueRowsSince } from '../db/recs.ts';
import type { LoadedModel } from '../model/loaded-model.ts';
import { buildCatalogue, type Catalogue, extendCatalogue } from './catalogue.ts';

/** The week's popularity, and changes to tracks already in the view, reach recommendations within this time. */
export const CATALOGUE_TTL_MS = 5 * 60_000;

const views = new Map<string, { built: Promise<Catalogue>; refreshing: boolean }>();

/**
 * @example const catalogue = await catalogueFor(db, model, Date.now(), (p) => c.executionCtx.waitUntil(p));
 */
export async function catalogueFor(db: Db, model: LoadedModel, now: number, background: (p: Promise<unknown>) => void): Promise<Catalogue> {
  const entry = views.get(model.version);
  if (!entry) {
    const built = buildCatalogue(db, model, now);
    built.catch(() => views.delete(model.version));
    views.set(model.version, { built, refreshing: false });
    for (const version of views.keys()) if (version !== model.version && views.size > 2) views.delete(version);
    return built;
  }
  const current = await entry.built;
  if (now - current.builtAt >= CATALOGUE_TTL_MS && !entry.refreshing) {
    entry.refreshing = true;
    const next = buildCatalogue(db, model, now);
    background(
      next.then(
        () => views.set(model.version, { built: next, refreshing: false }),
        () => {
          entry.refreshing = false;
        },
      ),
    );
  }
  return current;
}

/**
 * `view` with every track uploaded since it was read: one indexed read of the rows updated after
 * its watermark, and when there are new tracks, a new view (content-embedded) that replaces the
 * cached one for this version.
 *
 * @example const catalogue = await withNewTracks(db, model, await catalogueFor(db, model, now, background), now);
 */
export async function withNewTracks(db: Db, model: LoadedModel, view: Catalogue, now: number): Promise<Catalogue> {
  const rows = await catalogueRowsSince(db, view.updatedThrough);
  if (rows.length === 0) return view;
  const next = await extendCatalogue(model, view, rows, now);
  const entry = views.get(model.version);
  // Only over the view it extends: a full build that landed meanwhile is newer.
  if (entry && (await entry.built) === view) entry.built = Promise.resolve(next);
  return next;
}
