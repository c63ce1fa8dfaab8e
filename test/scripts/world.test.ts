import { describe, expect, it } from 'vitest';
import type { DemoEvent } from '../../scripts/demo/history.ts';
import { generateWorld, TINY_WORLD } from '../../scripts/demo/world.ts';
import { EventSchema } from '../../worker/schemas/event.ts';
import { ServedListImportSchema } from '../../worker/schemas/served-lists.ts';
import { TrackInputSchema } from '../../worker/schemas/track.ts';
import { UserInputSchema } from '../../worker/schemas/user.ts';

const END = Date.UTC(2026, 10, 20);
const tiny = (extra = {}) => generateWorld({ ...TINY_WORLD, end: END, ...extra });

describe('generateWorld', () => {
  it('Should generate the same world from the same seed', () => {
    const a = tiny();
    const b = tiny();
    expect(b.tracks).toEqual(a.tracks);
    expect([...b.users()]).toEqual([...a.users()]);
    expect([...b.events()]).toEqual([...a.events()]);
  });

  it('Should generate a different world from another seed', () => {
    const a = tiny();
    const b = tiny({ seed: 'another' });
    expect(b.tracks.map((t) => t.audio_features.energy)).not.toEqual(a.tracks.map((t) => t.audio_features.energy));
    const idsOfA = new Set([...a.events()].map((e) => e.event_id));
    expect([...b.events()].filter((e) => idsOfA.has(e.event_id))).toEqual([]);
  });

  it('Should size the catalogue as asked and give every listener an id, time zone and country', () => {
    const w = tiny({ artists: 12, tracksPerArtist: 4, users: 25 });
    expect(w.tracks).toHaveLength(48);
    expect(new Set(w.tracks.map((t) => t.artist.id)).size).toBe(12);
    const users = [...w.users()];
    expect(users).toHaveLength(25);
    for (const u of users) expect(UserInputSchema.safeParse(u).success).toBe(true);
  });

  it('Should give every artist of a world its own name, even where the name generator repeats', () => {
    const w = tiny({ artists: 2000, tracksPerArtist: 1, users: 1 });
    const names = new Map(w.tracks.map((t) => [t.artist.id, t.artist.name]));
    expect(names.size).toBe(2000);
    expect(new Set(names.values()).size).toBe(2000);
  });

  it('Should serve home lists in the history, and every algorithmic play come from one, at its position, after it was served', () => {
    const w = tiny();
    const lists = new Map([...w.servedLists()].map((l) => [l.rec_id, l]));
    expect(lists.size).toBeGreaterThan(0);
    const algorithmic = [...w.events()].filter((e) => e.context?.source === 'algorithmic');
    expect(algorithmic.length).toBeGreaterThan(0);
    for (const e of algorithmic) {
      const list = lists.get(e.context?.rec_id ?? '');
      expect(list, `${e.event_id} names a served list`).toBeDefined();
      expect(list?.user_id).toBe(e.user_id);
      expect(list?.items[e.context?.position ?? -1]?.track_id).toBe(e.track_id);
      expect(list?.served_at).toBeLessThanOrEqual(Number(e.ts));
    }
    for (const l of lists.values()) expect(ServedListImportSchema.safeParse(l).success).toBe(true);
  });

  it('Should produce rows the catalogue and ingest APIs accept', () => {
    const w = tiny();
    for (const t of w.tracks) expect(TrackInputSchema.safeParse(t).error).toBeUndefined();
    const events = [...w.events()];
    expect(events.length).toBeGreaterThan(500);
    for (const e of events.slice(0, 2000)) expect(EventSchema.safeParse(e).error).toBeUndefined();
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
  });

  it('Should keep every event inside the history window and every play within its track', () => {
    const w = tiny();
    const duration = new Map(w.tracks.map((t) => [t.id, t.duration_ms]));
    for (const e of w.events()) {
      expect(e.ts).toBeGreaterThanOrEqual(w.start);
      expect(e.ts).toBeLessThanOrEqual(END);
      if (e.ms_played !== undefined) expect(e.ms_played).toBeLessThanOrEqual(duration.get(e.track_id) ?? 0);
    }
  });

  it('Should pair every play_start with a play_end or skip carrying ms_played', () => {
    const events = [...tiny().events()];
    const starts = events.filter((e) => e.type === 'play_start').length;
    const ends = events.filter((e) => e.type === 'play_end' || e.type === 'skip');
    expect(ends).toHaveLength(starts);
    for (const e of ends) expect(e.ms_played).toBeGreaterThan(0);
  });

  it('Should contain saves, playlist adds and unsaves, and new releases nobody has played', () => {
    const w = generateWorld({ ...TINY_WORLD, users: 400, end: END });
    const byType = new Map<string, number>();
    const played = new Set<string>();
    for (const e of w.events()) {
      byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
      played.add(e.track_id);
    }
    for (const type of ['play_start', 'play_end', 'skip', 'save', 'playlist_add', 'unsave'] as const)
      expect(byType.get(type) ?? 0).toBeGreaterThan(0);
    const newReleases = w.tracks.filter((_, i) => w.catalogue.unplayed[i] === 1);
    expect(newReleases.length).toBeGreaterThan(0);
    for (const t of newReleases) {
      expect(played.has(t.id)).toBe(false);
      expect(Date.parse(t.release_date)).toBeGreaterThan(END - 15 * 86_400_000);
    }
  });

  it('Should give genres distinct sounds (classical is more acoustic and calmer than metal)', () => {
    const w = generateWorld({ seed: 'genres', artists: 400, tracksPerArtist: 3, users: 1, end: END });
    const mean = (genre: string, f: 'acousticness' | 'energy' | 'tempo') => {
      const xs = w.tracks.filter((t) => t.genre === genre).map((t) => t.audio_features[f]);
      return xs.reduce((s, x) => s + x, 0) / xs.length;
    };
    expect(mean('classical', 'acousticness')).toBeGreaterThan(mean('metal', 'acousticness') + 0.5);
    expect(mean('metal', 'energy')).toBeGreaterThan(mean('classical', 'energy') + 0.5);
    expect(mean('punk', 'tempo')).toBeGreaterThan(mean('ambient', 'tempo') + 40);
  });

  it('Should batch events for the ingest API without losing any', () => {
    const w = tiny();
    const batches = [...w.eventBatches(500)];
    expect(batches.every((b) => b.length <= 500)).toBe(true);
    expect(batches.flat()).toEqual([...w.events()] as DemoEvent[]);
  });
});
