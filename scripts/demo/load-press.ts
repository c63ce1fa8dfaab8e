/**
 * The demo's press phase: the world's generated articles (./press.ts) sent through POST /v1/texts
 * with the demo's app key, 100 a request (the route's limit), after the catalogue they mention.
 */
import { generatePress, type PressSpike } from './press.ts';
import { chunks, sendAll } from './send-batches.ts';
import type { World } from './world.ts';

/** POST /v1/texts takes at most 100 texts a request. */
export const TEXT_BATCH = 100;

export interface PressSummary {
  texts: number;
  stored: number;
  rejected: number;
  spikes: Pick<PressSpike, 'artistId' | 'artistName' | 'from' | 'days' | 'texts'>[];
  seconds: number;
}

/**
 * @example const press = await loadPress(url, state.keys.app.key, world, (done, total) => bar.update(done, total));
 */
export async function loadPress(
  url: string,
  appKey: string,
  world: Pick<World, 'artists' | 'tracks' | 'start' | 'config'>,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<PressSummary> {
  const t0 = performance.now();
  const press = generatePress(world, { seed: world.config.seed, start: world.start, end: world.config.end });
  let done = 0;
  onProgress(0, press.texts.length);
  // Two requests in flight: each one links its texts against the whole catalogue inside the Worker.
  const sent = await sendAll(url, appKey, 'POST', '/v1/texts', 'texts', chunks(press.texts, TEXT_BATCH), {
    concurrency: 2,
    onBatch: (_, n) => {
      done += n;
      onProgress(done, press.texts.length);
    },
  });
  return {
    texts: sent.items,
    stored: sent.stored,
    rejected: sent.items - sent.accepted,
    spikes: press.spikes,
    seconds: (performance.now() - t0) / 1000,
  };
}
