/**
 * A listener's history through a real `wrangler dev` (own port and persist dir): the CLI's import
 * code splits the file into several pieces, the route matches and stores them, and sending the same
 * file again stores nothing new (deterministic event ids).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSpotifyHistory } from '../../scripts/demo/imported-listener.ts';
import { chunks, sendAll } from '../../scripts/demo/send-batches.ts';
import { generateWorld, TINY_WORLD } from '../../scripts/demo/world.ts';
import { importHistory } from '../../scripts/imports/history-import.ts';
import {
  applyLocalMigrations,
  type DevServer,
  ensureAdminToken,
  ensureAssetsDir,
  freePort,
  ROOT,
  startDevServer,
} from '../../scripts/lib/local-worker.ts';

const PERSIST = '.wrangler/state-history-import-e2e';
const file = join(tmpdir(), `backbeat-history-${process.pid}.json`);
const world = generateWorld({ ...TINY_WORLD, end: Math.floor(Date.now() / 3_600_000) * 3_600_000 });
let server: DevServer | null = null;

beforeAll(async () => {
  rmSync(join(ROOT, PERSIST), { recursive: true, force: true });
  applyLocalMigrations(PERSIST);
  ensureAssetsDir();
  server = await startDevServer({ port: await freePort(), persistTo: PERSIST });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  rmSync(join(ROOT, PERSIST), { recursive: true, force: true });
  rmSync(file, { force: true });
});

describe('importing a Spotify history into a running instance', () => {
  it('Should store the matched listens from several pieces and nothing more when the same file is sent again', {
    timeout: 180_000,
  }, async () => {
    const url = (server as DevServer).url;
    const key = ensureAdminToken();
    const put = await sendAll(url, key, 'PUT', '/v1/tracks', 'tracks', chunks(world.tracks, 500));
    expect(put.accepted).toBe(world.tracks.length);
    const history = syntheticSpotifyHistory(world, { records: 200 });
    writeFileSync(file, JSON.stringify(history.records));
    const expectedMatched = history.trackIds.filter((id) => id !== null).length;
    const run = () => importHistory({ url, key, userId: 'u-e2e', files: [{ path: file, format: 'spotify' }], maxBytes: 16_384 });

    const first = await run();
    expect(first.pieces).toBeGreaterThan(2);
    expect(first.listens).toBe(history.records.filter((r) => r.master_metadata_track_name !== null).length);
    expect(first.skipped).toEqual({ podcast: history.records.length - first.listens });
    expect(first.matched).toBe(expectedMatched);
    expect(first.byMethod.exact).toBe(expectedMatched);
    expect(first.unmatchedListens).toBe(first.listens - expectedMatched);
    expect(first.unmatched.length).toBeGreaterThan(0);
    expect(first.errorCount).toBe(0);
    // Every matched listen has a start and an end (Spotify records ms_played).
    expect(first.events.stored).toBe(2 * expectedMatched);
    expect(first.events.duplicates).toBe(0);

    const again = await run();
    expect(again.matched).toBe(expectedMatched);
    expect(again.events.stored).toBe(0);
    expect(again.events.duplicates).toBe(first.events.stored);
  });
});
