/**
 * One catalogue view per isolate and model version. A view older than CATALOGUE_TTL_MS (5 min) is served
 * while a fresh one is built in the background (waitUntil), so only the first request of a
 * version pays for reading the catalogue.
 */
import type { Db } from '../db/client.ts';
import type { LoadedModel } from '../model/loaded-model.ts';
import { buildCatalogue, type Catalogue } from './catalogue.ts';

/** New tracks and the week's popularity reach recommendations within this time. */
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
