import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  addTrack,
  bodyOf,
  type DraftTrack,
  debounce,
  draftOf,
  type EditorialPlaylist,
  emptyDraft,
  fieldErrors,
  fieldOf,
  instantOf,
  isDirty,
  localInput,
  minuteUtc,
  moveItem,
  slotLabel,
  splitList,
  trackNumbers,
} from '../../dashboard/src/lib/editorial.ts';

const playlist: EditorialPlaylist = {
  id: 'ed_1',
  title: 'Fresh Finds',
  description: 'New and good',
  status: 'draft',
  tracks: [
    { position: 0, track_id: 't1', title: 'Grid 1', artist_id: 'a1', artist_name: 'Neon A', added_at: '2026-12-01T00:00:00.000Z' },
    { position: 1, track_id: 't2', title: null, artist_id: null, artist_name: null, added_at: '2026-12-01T00:00:00.000Z' },
  ],
  target: { genres: ['synthwave', 'dream pop'], countries: ['DE'], activities: ['relax', 'focus'] },
  slot: { position: 3, surfaces: ['home'] },
  starts_at: '2026-12-01T08:30:00.000Z',
  ends_at: null,
  created_at: '2026-12-01T00:00:00.000Z',
  updated_at: '2026-12-02T10:15:42.000Z',
  published_at: null,
};

describe('draftOf and bodyOf', () => {
  it('Should turn an API playlist into the form and back into the same request', () => {
    const d = draftOf(playlist);
    expect(d.genres).toBe('synthwave, dream pop');
    expect(d.activities).toEqual(['focus', 'relax']);
    expect(d.startsAt).toBe('2026-12-01T08:30');
    // A track that left the catalogue keeps its id as its title.
    expect(d.tracks.map((t) => t.title)).toEqual(['Grid 1', 't2']);
    expect(bodyOf(d)).toEqual({
      title: 'Fresh Finds',
      description: 'New and good',
      tracks: ['t1', 't2'],
      target: { genres: ['synthwave', 'dream pop'], countries: ['DE'], activities: ['focus', 'relax'] },
      slot: { position: 3, surfaces: ['home'] },
      starts_at: '2026-12-01T08:30:00.000Z',
      ends_at: null,
    });
  });

  it('Should send no slot when "No slot" is chosen, and home when no surface is typed', () => {
    const d = { ...emptyDraft(), title: '  Late night  ', countries: 'de, fr', hasSlot: false };
    expect(bodyOf(d).slot).toBeNull();
    expect(bodyOf(d).title).toBe('Late night');
    expect(bodyOf(d).target.countries).toEqual(['DE', 'FR']);
    expect(bodyOf({ ...d, hasSlot: true, position: 5, surfaces: ' , ' }).slot).toEqual({ position: 5, surfaces: ['home'] });
  });

  it('Should see a reorder as an unsaved change, and the saved form as none', () => {
    const saved = draftOf(playlist);
    expect(isDirty(draftOf(playlist), saved)).toBe(false);
    expect(isDirty({ ...saved, tracks: moveItem(saved.tracks, 1, 0) }, saved)).toBe(true);
    expect(isDirty({ ...saved, genres: 'synthwave,dream pop' }, saved)).toBe(false);
    expect(isDirty(emptyDraft(), null)).toBe(false);
    expect(isDirty({ ...emptyDraft(), title: 'x' }, null)).toBe(true);
  });
});

describe('splitList', () => {
  it('Should trim, drop blanks and repeats, and apply the case', () => {
    expect(splitList(' indie, Dream  pop ,, indie', 'lower')).toEqual(['indie', 'dream pop']);
    expect(splitList('de\nfr, DE', 'upper')).toEqual(['DE', 'FR']);
    expect(splitList('   ')).toEqual([]);
  });
});

describe('moveItem and addTrack', () => {
  it('Should move an item up, down and to the ends, and leave the list alone for an index out of range', () => {
    expect(moveItem(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, 99)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 1, -5)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 3, 0)).toEqual(['a', 'b', 'c']);
    const list = ['a', 'b'];
    moveItem(list, 0, 1);
    expect(list).toEqual(['a', 'b']);
  });

  it('Should add a track at the end once', () => {
    const t = (id: string): DraftTrack => ({ id, title: id, artist: 'x' });
    expect(addTrack([t('a')], t('b')).map((x) => x.id)).toEqual(['a', 'b']);
    expect(addTrack([t('a'), t('b')], t('a')).map((x) => x.id)).toEqual(['a', 'b']);
  });
});

describe('schedule times', () => {
  it('Should read a datetime-local value as UTC and write it back', () => {
    expect(instantOf('2026-12-01T08:30')).toBe('2026-12-01T08:30:00.000Z');
    expect(instantOf('')).toBeNull();
    expect(instantOf('not a time')).toBeNull();
    expect(localInput('2026-12-01T08:30:00.000Z')).toBe('2026-12-01T08:30');
    expect(localInput(instantOf('2027-01-31T23:59'))).toBe('2027-01-31T23:59');
    expect(localInput(null)).toBe('');
  });

  it('Should show an instant to the minute in UTC', () => {
    expect(minuteUtc('2026-11-24T14:32:05.000Z')).toBe('2026-11-24 14:32 UTC');
    expect(minuteUtc(null)).toBe('–');
  });
});

describe('fieldOf and fieldErrors', () => {
  it('Should put each API issue next to the field its path names', () => {
    expect(fieldOf('json.tracks[1]')).toBe('tracks.1');
    expect(fieldOf('json.title')).toBe('title');
    expect(fieldOf('json.target.countries[0]')).toBe('countries');
    expect(fieldOf('json.target.genres')).toBe('genres');
    expect(fieldOf('json.slot.position')).toBe('position');
    expect(fieldOf('json.slot.surfaces[0]')).toBe('surfaces');
    expect(fieldOf('json.ends_at')).toBe('ends_at');
    expect(fieldOf('json.tracks')).toBe('tracks');
    expect(fieldOf('json')).toBe('form');
    expect(fieldOf(undefined)).toBe('form');
  });

  it('Should join several messages of one field', () => {
    expect(
      fieldErrors([
        { path: 'json.tracks[1]', code: 'unknown_track', message: 'No track with id t9 in the catalogue' },
        { path: 'json.title', message: 'Too small' },
        { path: 'json.title', message: 'Required' },
      ]),
    ).toEqual({ 'tracks.1': 'No track with id t9 in the catalogue', title: 'Too small; Required' });
  });
});

describe('slotLabel and trackNumbers', () => {
  it('Should describe a slot in a line', () => {
    expect(slotLabel({ position: 3, surfaces: ['home'] })).toBe('Position 3 (home)');
    expect(slotLabel(null)).toBe('No slot');
  });

  it("Should list the playlist's tracks in order with zeros for quiet ones, then removed tracks that have numbers", () => {
    const rows = trackNumbers(
      [
        { track_id: 't1', title: 'One' },
        { track_id: 't2', title: null },
      ],
      [
        { track_id: 't2', impressions: 4, streams: 2, saves: 1, skips: 1 },
        { track_id: 't9', impressions: 1, streams: 0, saves: 0, skips: 0 },
      ],
    );
    expect(rows.map((r) => [r.position, r.title, r.impressions, r.streams])).toEqual([
      [1, 'One', 0, 0],
      [2, 't2', 4, 2],
      [null, 't9 (removed)', 1, 0],
    ]);
  });
});

describe('debounce', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('Should call once with the last arguments after the pause, and never after cancel', () => {
    const calls: string[] = [];
    const f = debounce((q: string) => calls.push(q), 250);
    f('n');
    vi.advanceTimersByTime(200);
    f('ni');
    f('nig');
    vi.advanceTimersByTime(249);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['nig']);
    f('x');
    f.cancel();
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['nig']);
  });

  it('Should run a pending call at once on flush, and nothing when none is pending', () => {
    const calls: string[] = [];
    const f = debounce((q: string) => calls.push(q), 250);
    f.flush();
    f('night');
    f.flush();
    expect(calls).toEqual(['night']);
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['night']);
  });
});
