/**
 * Smoke test of `npm start` on a tiny world: the same sequence users run, on its own port, persist
 * dir and state file (so it never touches a running demo), then a second start that must reuse it all.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actOnList, type ServedList, traitsFromTrack } from '../../scripts/demo/closed-loop.ts';
import { TRAINER } from '../../scripts/demo/model-step.ts';
import { recordingReporter } from '../../scripts/demo/progress.ts';
import { Rng } from '../../scripts/demo/rng.ts';
import { CRON, type RunningDemo, startDemo } from '../../scripts/demo/start-sequence.ts';
import { generateWorld, TINY_WORLD } from '../../scripts/demo/world.ts';
import { freePort, ROOT } from '../../scripts/lib/local-worker.ts';

const PORT = await freePort();
const PERSIST = '.wrangler/state-demo-smoke';
const dir = mkdtempSync(join(tmpdir(), 'backbeat-start-'));
const stateFile = join(dir, 'demo.json');
const world = { ...TINY_WORLD, users: 80 };
const options = (reporter = recordingReporter()) => ({
  port: PORT,
  persistTo: PERSIST,
  stateFile,
  world,
  train: true,
  buildDashboard: false,
  simulateRate: 0,
  warmupSessions: 30,
  reporter,
});

async function get<T>(d: RunningDemo, key: string, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${d.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as T };
}

let running: RunningDemo | null = null;
afterAll(async () => {
  await running?.stop();
  rmSync(join(ROOT, PERSIST), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start sequence (tiny world)', () => {
  it('Should load a world through the API, mint bound keys, serve a model and then restart reusing it all', {
    timeout: 400_000,
  }, async () => {
    rmSync(join(ROOT, PERSIST), { recursive: true, force: true });
    const first = recordingReporter();
    running = await startDemo(options(first));
    const d = running;

    const loaded = d.state.world?.summary;
    expect(loaded?.tracks).toBe(TINY_WORLD.artists * TINY_WORLD.tracksPerArtist);
    expect(loaded?.users).toBe(80);
    expect(loaded?.events.sent).toBeGreaterThan(1000);
    expect(loaded?.events.rejected).toBe(0);

    // wrangler dev runs no cron: the start brings the analytics rollups of the loaded months up to date.
    expect(first.lines.some((l) => l.includes('analytics rollups refreshed'))).toBe(true);

    const keys = d.state.keys;
    expect(keys).toBeDefined();
    const bound = keys!.artist.artistIds!;
    const biggest = generateWorld({ ...world, end: d.state.world!.config.end })
      .biggestArtists(3)
      .map((a) => a.id);
    expect(bound).toEqual(biggest);
    expect((await get(d, keys!.artist.key, `/v1/artists/${bound[0]}`)).status).toBe(200);
    const outsider = (await get(d, keys!.artist.key, '/v1/artists/a-29')).status;
    expect(outsider).toBe(403);
    expect(keys!.marketer.artistIds!.length).toBeGreaterThan(3);

    if (existsSync(TRAINER)) {
      expect(d.state.model?.version).toBeTruthy();
      const recs = await get<ServedList & { model_version: string }>(d, keys!.app.key, '/v1/users/u-3/recommendations?limit=10');
      expect(recs.status).toBe(200);
      expect(recs.body.model_version).toBe(d.state.model?.version);
      expect(recs.body.items.length).toBeGreaterThan(0);
      // The warm-up acted on served lists; the demo campaign runs for the marketer key.
      expect(d.state.warmup?.lists).toBeGreaterThan(0);
      const campaign = d.state.campaign;
      expect(campaign?.id).toBeTruthy();
      expect(keys!.marketer.artistIds).toContain(campaign?.artistId);
      expect((await get(d, keys!.marketer.key, `/v1/campaigns/${campaign?.id}/report`)).status).toBe(200);
      // The cron jobs run locally too (wrangler dev runs no cron; npm start triggers them every minute).
      const cron = await fetch(`${d.url}/__scheduled?cron=${encodeURIComponent(CRON)}`);
      expect(cron.status).toBe(200);
      expect(first.lines.some((l) => l.includes('scheduled jobs (rollup refresh, archive) run every minute'))).toBe(true);
      // The editorial team published its playlists; listeners have generated playlists.
      const editorial = d.state.editorial;
      expect(editorial?.playlists.length).toBeGreaterThanOrEqual(2);
      const published = await get<{ playlists: Array<{ id: string; status: string }> }>(d, keys!.app.key, '/v1/editorial/playlists');
      expect(published.body.playlists.map((p) => p.id).sort()).toEqual(editorial!.playlists.map((p) => p.id).sort());
      const mine = await get<{ playlists: Array<{ kind: string }> }>(d, keys!.app.key, '/v1/users/u-3/playlists');
      expect(mine.body.playlists.map((p) => p.kind)).toEqual(expect.arrayContaining(['discover-weekly', 'release-radar']));

      // Act on the served list the way the simulator does and send it back.
      const tracks = new Map<string, ReturnType<typeof traitsFromTrack>>();
      for (const item of recs.body.items) {
        tracks.set(
          item.track_id,
          traitsFromTrack((await get<Parameters<typeof traitsFromTrack>[0]>(d, keys!.app.key, `/v1/tracks/${item.track_id}`)).body),
        );
      }
      const listener = generateWorld({ ...world, end: d.state.world!.config.end }).listener(3);
      let session = actOnList(new Rng(1), listener, 'none', recs.body, (id) => tracks.get(id), Date.now(), 'smoke');
      for (let seed = 2; session.plays === 0; seed++)
        session = actOnList(new Rng(seed), listener, 'none', recs.body, (id) => tracks.get(id), Date.now(), `smoke-${seed}`);
      const sent = await fetch(`${d.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys!.app.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: session.events }),
      });
      expect(sent.status).toBe(200);

      // The simulator CLI runs against the same instance and reads its state file.
      const sim = spawnSync(
        process.execPath,
        [join(ROOT, 'scripts/demo/simulate.ts'), '--url', d.url, '--state', stateFile, '--minutes', '0.1', '--rate', '5'],
        {
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(sim.status).toBe(0);
      const total = /total\s+sessions (\d+)\s+lists (\d+)/.exec(sim.stdout);
      expect(Number(total?.[2])).toBeGreaterThan(0);
    } else {
      expect(first.lines.some((l) => l.includes('skipped training'))).toBe(true);
    }

    await d.stop();
    running = null;

    const second = recordingReporter();
    running = await startDemo(options(second));
    expect(second.lines.some((l) => l.includes('reusing the demo world'))).toBe(true);
    expect(running.timings.world).toBeUndefined();
    expect(running.timings.train).toBeUndefined();
    expect(running.state.keys?.app.key).toBe(keys!.app.key);
    expect((await get(running, keys!.app.key, '/v1/me')).status).toBe(200);
  });
});
