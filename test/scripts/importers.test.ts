import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoEvent } from '../../scripts/demo/history.ts';
import type { Dataset } from '../../scripts/demo/importers/dataset.ts';
import { hetrecDataset } from '../../scripts/demo/importers/hetrec.ts';
import { lastfm1kDataset } from '../../scripts/demo/importers/lastfm1k.ts';
import { describeImport, runImport } from '../../scripts/demo/importers/run-import.ts';
import { spotifySongsDataset } from '../../scripts/demo/importers/spotify-songs.ts';
import { silentReporter } from '../../scripts/demo/progress.ts';
import { EventSchema } from '../../worker/schemas/event.ts';
import { TrackInputSchema } from '../../worker/schemas/track.ts';
import { UserInputSchema } from '../../worker/schemas/user.ts';
import { writeImporterFixtures } from './importer-fixtures.ts';

const FIXTURES = writeImporterFixtures();
const NOW = Date.UTC(2026, 10, 20, 12);

async function collect(ds: Dataset) {
  const tracks = await ds.tracks();
  const users = await ds.users();
  const events: DemoEvent[] = [];
  for await (const e of ds.events()) events.push(e);
  return { tracks, users, events, skipped: [...ds.issues.counts] };
}

function expectApiValid(d: Awaited<ReturnType<typeof collect>>) {
  for (const t of d.tracks) expect(TrackInputSchema.safeParse(t).error).toBeUndefined();
  for (const u of d.users) expect(UserInputSchema.safeParse(u).error).toBeUndefined();
  for (const e of d.events) expect(EventSchema.safeParse(e).error).toBeUndefined();
}

describe('HetRec importer', () => {
  it('Should make one stand-in track per artist, tagged with its top tags (latin-1 tags decoded)', async () => {
    const d = await collect(hetrecDataset(FIXTURES.hetrecDir, { now: NOW }));
    expect(d.tracks.map((t) => t.id).sort()).toEqual(['hetrec-t-1', 'hetrec-t-2', 'hetrec-t-5']);
    expect(d.tracks.find((t) => t.id === 'hetrec-t-1')).toMatchObject({
      artist: { id: 'hetrec-a-1', name: 'Velvet Static' },
      genre: 'metal',
    });
    expect(d.tracks.find((t) => t.id === 'hetrec-t-5')).toMatchObject({ artist: { name: 'Sigrún Ösp' }, tags: ['café music'] });
    expectApiValid(d);
  });

  it('Should turn play counts into log-scaled completed plays, capped per pair', async () => {
    const d = await collect(hetrecDataset(FIXTURES.hetrecDir, { now: NOW, maxPlaysPerPair: 10 }));
    const plays = (user: string, track: string) =>
      d.events.filter((e) => e.user_id === user && e.track_id === track && e.type === 'play_start').length;
    expect(plays('hetrec-u-2', 'hetrec-t-1')).toBe(10); // log2(12001) ≈ 13.6, capped at 10
    expect(plays('hetrec-u-2', 'hetrec-t-2')).toBe(1);
    expect(plays('hetrec-u-3', 'hetrec-t-5')).toBe(8);
    for (const e of d.events) expect(e.ts).toBeLessThanOrEqual(NOW);
  });

  it('Should report bad lines by reason without failing', async () => {
    const d = await collect(hetrecDataset(FIXTURES.hetrecDir, { now: NOW }));
    expect(Object.fromEntries(d.skipped)).toEqual({
      'artist id is not a number': 1,
      'artist has no name': 1,
      'unknown tag or bad artist id': 1,
      'artist missing from artists.dat': 1,
      'user, artist or weight is not a positive number': 1,
      'expected 3 tab-separated columns': 1,
    });
  });
});

describe('Last.fm 1K importer', () => {
  const file = FIXTURES.lastfm1kPlays;

  it('Should turn scrobbles into plays lasting until the next scrobble, short ones as skips', async () => {
    const d = await collect(lastfm1kDataset(file, { keepDates: true, now: NOW }));
    const u1 = d.events.filter((e) => e.user_id === 'lfm-user_000001' && e.type !== 'play_start').sort((a, b) => a.ts - b.ts);
    // 22:.. → 23:04:40 → 23:05:00 (20 s later: a skip) → 23:08:57 (237 s) → newest (full assumed length)
    expect(u1.map((e) => [e.type, e.ms_played])).toEqual([
      ['skip', 20_000],
      ['play_end', 237_000],
      ['play_end', 240_000],
    ]);
    expect(d.tracks).toHaveLength(4);
    expectApiValid(d);
  });

  it('Should shift dates so the newest play was an hour ago unless asked to keep them', async () => {
    const shifted = await collect(lastfm1kDataset(file, { now: NOW }));
    const starts = shifted.events.filter((e) => e.type === 'play_start').map((e) => e.ts);
    expect(Math.max(...starts)).toBe(NOW - 3_600_000);
    const kept = await collect(lastfm1kDataset(file, { keepDates: true, now: NOW }));
    expect(Math.max(...kept.events.filter((e) => e.type === 'play_start').map((e) => e.ts))).toBe(Date.parse('2009-05-04T23:08:57Z'));
  });

  it('Should read countries from the profile file beside the log, mapping names to ISO codes', async () => {
    const d = await collect(lastfm1kDataset(file, { now: NOW }));
    expect(d.users).toEqual([
      { id: 'lfm-user_000001', country: 'JP' },
      { id: 'lfm-user_000002', country: 'BA' },
      { id: 'lfm-user_000003' },
    ]);
  });

  it('Should report bad lines by reason without failing', async () => {
    const d = await collect(lastfm1kDataset(file, { now: NOW }));
    expect(Object.fromEntries(d.skipped)).toEqual({
      'missing user or unreadable timestamp': 1,
      'expected 6 tab-separated columns': 1,
      'missing artist or track name': 1,
      'country name not recognised (user kept without country)': 1,
    });
  });
});

describe('Spotify songs importer', () => {
  const file = FIXTURES.spotifySongs;

  it('Should import the catalogue with audio features, merging rows of the same track', async () => {
    const d = await collect(spotifySongsDataset(file));
    expect(d.tracks.map((t) => t.title)).toEqual([
      'Glass Harbour - Club Remix',
      "Oh, Who's Calling?",
      'Good Company',
      // A stray quote is read as text rather than swallowing the lines after it.
      '"Broken "quote',
      'Afterglow',
    ]);
    expect(d.tracks[0]).toMatchObject({
      genre: 'pop',
      tags: ['dance pop', 'electro house'],
      release_date: '2019-06-14',
      duration_ms: 194_754,
    });
    expect(d.tracks[0]?.audio_features).toMatchObject({ energy: 0.916, tempo: 122.036, key: 6, mode: 1 });
    expect(d.tracks[1]?.release_date).toBe('1989-01-01');
    expect(d.tracks[2]?.release_date).toBe('2019-07-01');
    expect(d.tracks[0]?.artist.id).toBe(d.tracks[2]?.artist.id);
    expect(d.events).toHaveLength(0);
    expectApiValid(d);
  });

  it('Should report NA names, out-of-range features and rows with missing columns without failing', async () => {
    const d = await collect(spotifySongsDataset(file));
    const skipped = Object.fromEntries(d.skipped);
    expect(skipped['missing track id, name or artist']).toBe(1);
    expect(skipped['audio feature missing or out of range']).toBe(1);
    expect(Object.keys(skipped).some((k) => k.startsWith('unreadable CSV row'))).toBe(true);
  });

  it('Should let generated listeners play the real catalogue when asked', async () => {
    const d = await collect(spotifySongsDataset(file, { listeners: 20, eventsPerUser: 30, now: NOW }));
    expect(d.users).toHaveLength(20);
    expect(d.events.length).toBeGreaterThan(50);
    const ids = new Set(d.tracks.map((t) => t.id));
    for (const e of d.events) expect(ids.has(e.track_id)).toBe(true);
    expectApiValid(d);
  });
});

describe('runImport', () => {
  let server: Server;
  let url: string;
  const received: { method: string; path: string; count: number }[] = [];

  const body = (req: IncomingMessage) =>
    new Promise<Record<string, unknown[]>>((resolve) => {
      let text = '';
      req.on('data', (c) => {
        text += c;
      });
      req.on('end', () => resolve(JSON.parse(text)));
    });

  beforeAll(async () => {
    // A stand-in API: accepts everything except tracks titled "Afterglow", which it rejects.
    server = createServer(async (req, res) => {
      const b = await body(req);
      const items = Object.values(b)[0] ?? [];
      received.push({ method: req.method ?? '', path: req.url ?? '', count: items.length });
      const rejected = items
        .map((it, index) => ({ it: it as { id?: string; title?: string }, index }))
        .filter(({ it }) => it.title === 'Afterglow')
        .map(({ it, index }) => ({
          index,
          id: it.id ?? null,
          errors: [{ path: `tracks[${index}].title`, code: 'custom', message: 'not today' }],
        }));
      res.writeHead(rejected.length ? 207 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: items.length - rejected.length, stored: items.length - rejected.length, rejected }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('Should send catalogue, profiles and events through the API and sum up what was skipped and rejected', async () => {
    const summary = await runImport(url, 'key', lastfm1kDataset(FIXTURES.lastfm1kPlays, { now: NOW }), silentReporter);
    expect(received.map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /v1/tracks', 'PUT /v1/users', 'POST /v1/events']);
    expect(summary.tracks).toEqual({ sent: 4, accepted: 4 });
    expect(summary.events).toMatchObject({ sent: 8, accepted: 8 });
    expect(summary.skippedTotal).toBe(4);
    expect(describeImport(summary)).toContain('missing artist or track name');

    const spotify = await runImport(url, 'key', spotifySongsDataset(FIXTURES.spotifySongs), silentReporter);
    expect(spotify.tracks).toEqual({ sent: 5, accepted: 4 });
    expect(spotify.apiRejected[0]).toMatchObject({ errors: [{ path: 'tracks[4].title' }] });
    expect(describeImport(spotify)).toContain('rejected by the API');
  });
});
