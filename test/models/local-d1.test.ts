import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_WEIGHTS, decay, eventWeight } from '../../contract/events.ts';
import { findLocalD1, readLocalD1 } from '../../models/data/read-local-d1.ts';

const DAY = 86_400_000;

function localD1(): string {
  const persist = mkdtempSync(join(tmpdir(), 'backbeat-d1-'));
  const dir = join(persist, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  mkdirSync(dir, { recursive: true });
  const db = new DatabaseSync(join(dir, 'db.sqlite'));
  db.exec(`CREATE TABLE tracks (id TEXT PRIMARY KEY, artist_id TEXT, duration_ms INTEGER, genre TEXT, tags TEXT, tempo REAL, key INTEGER,
    mode INTEGER, energy REAL, danceability REAL, valence REAL, acousticness REAL, instrumentalness REAL, speechiness REAL, liveness REAL, loudness REAL);
    CREATE TABLE events (event_id TEXT PRIMARY KEY, user_id TEXT, track_id TEXT, type TEXT, ts INTEGER, ms_played INTEGER);`);
  const track = db.prepare('INSERT INTO tracks (id, duration_ms, genre, tags, energy) VALUES (?, ?, ?, ?, ?)');
  track.run('t1', 200_000, 'rock', '["Indie","live"]', 0.8);
  track.run('t2', 200_000, 'jazz', '[]', null);
  track.run('t3', 200_000, null, 'not json', 0.1);
  const ev = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)');
  const now = 1_800_000_000_000;
  ev.run('e1', 'u1', 't1', 'play_end', now, 190_000); // complete: 2
  ev.run('e2', 'u1', 't1', 'play_end', now - 30 * DAY, 40_000); // play 1, one half-life old: 0.5
  ev.run('e3', 'u1', 't2', 'play_end', now, 10_000); // under 30 s: nothing
  ev.run('e4', 'u1', 't2', 'skip', now, 5_000);
  ev.run('e5', 'u2', 't2', 'save', now, null); // 4
  ev.run('e6', 'u2', 't9', 'playlist_add', now, null); // unknown track: still an item, 4
  db.close();
  return persist;
}

describe('events to strengths', () => {
  it('Should weigh completions, streams, short plays, skips and removals by the event weights', () => {
    const w = DEFAULT_EVENT_WEIGHTS;
    const e = (type: string, msPlayed: number | null) => eventWeight({ type, ts: 0, msPlayed, durationMs: 100_000 }, w);
    expect([e('play_end', 95_000), e('play_end', 31_000), e('play_end', 29_000), e('skip', 3_000)]).toEqual([2, 1, 0, 0]);
    expect([e('save', null), e('unsave', null), e('playlist_remove', null), e('play_start', null)]).toEqual([4, -4, -4, 0]);
    expect(decay(0, 60 * DAY, 30)).toBeCloseTo(0.25, 12);
  });

  it('Should read the local D1 of wrangler dev into decayed strengths and track content', async () => {
    const file = findLocalD1(localD1());
    const { interactions, content, events, hotEvents, archivedEvents, sessions } = await readLocalD1(file, DEFAULT_EVENT_WEIGHTS, 30);
    expect([events, hotEvents, archivedEvents]).toEqual([6, 6, 0]);
    expect(interactions.itemIds).toEqual(['t1', 't2', 't3', 't9']);
    expect(interactions.userIds).toEqual(['u1', 'u2']);
    // u1: t1 = 2 + 0.5; t2 got only a short play and a skip, so no entry
    expect(Array.from(interactions.byUser.indices)).toEqual([0, 1, 3]);
    expect(Array.from(interactions.byUser.values)).toEqual([2.5, 4, 4]);
    expect(content[0]).toMatchObject({ genre: 'rock', numeric: { energy: 0.8 } });
    expect([...content[0]!.tags.keys()]).toEqual(['indie', 'live']);
    expect(content[2]!.tags.size).toBe(0);
    // Sessions for the transitions: u1's t2 was skipped under 30 s, so only u2's t2 → t9 has two plays.
    expect(sessions.map((x) => [...x])).toEqual([[1, 3]]);
  });

  it('Should explain when there is no local D1', () => {
    expect(() => findLocalD1(join(tmpdir(), 'nowhere-backbeat'))).toThrow(/no local D1 under/);
  });
});
