import { describe, expect, it } from 'vitest';
import {
  filterByType,
  type Placement,
  placementRows,
  playlistName,
  positionText,
  shortId,
  signed,
  summarize,
  typeFilterOf,
  utcDay,
} from '../../dashboard/src/lib/placements.ts';

function placement(over: Partial<Placement> & { playlist: Placement['playlist'] }): Placement {
  return {
    track: { id: 't-1', title: 'Tidal Lights' },
    via: 'served',
    since: '2026-11-20T10:00:00.000Z',
    last_seen: '2026-11-24T10:00:00.000Z',
    position: null,
    mean_position: null,
    impressions: 0,
    listeners: 0,
    streams: 0,
    playlist_adds: 0,
    ...over,
  };
}

const EDITORIAL = placement({
  playlist: { type: 'editorial', id: 'ed_1', name: 'Night Drive' },
  via: 'listed',
  position: 2,
  streams: 3,
});
const MIX = placement({
  playlist: { type: 'generated', id: 'daily_mix', name: 'Daily Mix' },
  position: 1,
  mean_position: 2.25,
  impressions: 4,
  listeners: 2,
  streams: 5,
});
const MIX_OTHER_TRACK = placement({
  playlist: { type: 'generated', id: 'daily_mix', name: 'Daily Mix' },
  track: { id: 't-2', title: 'Reef at Dawn' },
  position: 3,
  mean_position: 3,
  streams: 1,
});
const OWN = placement({
  playlist: { type: 'user', id: 'pl-7f3a9c2e11d04b', name: null },
  via: 'played',
  listeners: 1,
  streams: 2,
  playlist_adds: -1,
});

describe('playlist names', () => {
  it("Should keep the API's name and label a listener's own playlist with a short id", () => {
    expect(playlistName(EDITORIAL.playlist)).toBe('Night Drive');
    expect(playlistName(MIX.playlist)).toBe('Daily Mix');
    expect(playlistName(OWN.playlist)).toBe('Listener playlist pl-7f3a9c2…');
    expect(playlistName({ type: 'user', id: 'pl-42', name: null })).toBe('Listener playlist pl-42');
    // A playlist of another type without a name still shows something: its id.
    expect(playlistName({ type: 'editorial', id: 'ed_gone', name: null })).toBe('ed_gone');
  });

  it('Should shorten only ids longer than twelve characters', () => {
    expect(shortId('123456789012')).toBe('123456789012');
    expect(shortId('1234567890123')).toBe('1234567890…');
  });
});

describe('cells', () => {
  it("Should show an editorial playlist's place alone, and a served best position with its mean", () => {
    expect(positionText(2, null, 'editorial')).toBe('2');
    expect(positionText(2, 5.5, 'editorial')).toBe('2');
    expect(positionText(1, 2.25, 'generated')).toBe('1 (mean 2.3)');
    expect(positionText(3, 3, 'generated')).toBe('3');
    expect(positionText(null, null, 'user')).toBe('–');
  });

  it('Should sign net adds with a true minus sign', () => {
    expect([2, 0, -1].map(signed)).toEqual(['+2', '0', '−1']);
  });

  it('Should give the UTC day of an instant, and a dash for none or garbage', () => {
    expect(utcDay('2026-11-24T23:30:00.000Z')).toBe('2026-11-24');
    expect(utcDay('2026-11-24T23:30:00-05:00')).toBe('2026-11-25');
    expect(utcDay(null)).toBe('–');
    expect(utcDay('yesterday')).toBe('–');
  });
});

describe('rows and filter', () => {
  const rows = placementRows([MIX, EDITORIAL, OWN, MIX_OTHER_TRACK]);

  it("Should flatten placements to rows in the API's order, with a unique key each", () => {
    expect(rows.map((r) => [r.playlist, r.type, r.track, r.streams])).toEqual([
      ['Daily Mix', 'generated', 'Tidal Lights', 5],
      ['Night Drive', 'editorial', 'Tidal Lights', 3],
      ['Listener playlist pl-7f3a9c2…', 'user', 'Tidal Lights', 2],
      ['Daily Mix', 'generated', 'Reef at Dawn', 1],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    expect(rows[2]).toMatchObject({ playlist_id: 'pl-7f3a9c2e11d04b', playlist_adds: -1, via: 'played' });
  });

  it('Should keep the rows of the chosen type only, and all of them for "all"', () => {
    expect(filterByType(rows, 'generated').map((r) => r.track)).toEqual(['Tidal Lights', 'Reef at Dawn']);
    expect(filterByType(rows, 'user')).toHaveLength(1);
    expect(filterByType(rows, 'all')).toEqual(rows);
    expect(filterByType(rows, 'all')).not.toBe(rows);
  });

  it('Should read an unknown filter value as all', () => {
    expect(typeFilterOf('editorial')).toBe('editorial');
    expect(typeFilterOf('user')).toBe('user');
    expect(typeFilterOf('radio')).toBe('all');
    expect(typeFilterOf(null)).toBe('all');
  });
});

describe('summarize', () => {
  it('Should add streams by type and count each playlist once however many tracks it carried', () => {
    const s = summarize([MIX, EDITORIAL, OWN, MIX_OTHER_TRACK]);
    expect(s.byType.map((t) => [t.type, t.label, t.streams, t.playlists])).toEqual([
      ['editorial', 'Editorial', 3, 1],
      ['generated', 'Generated', 6, 1],
      ['user', 'Listeners’ own', 2, 1],
    ]);
    expect(s.playlists).toBe(3);
    expect(s.streams).toBe(11);
    expect(s.byType.reduce((sum, t) => sum + t.share, 0)).toBeCloseTo(1);
    expect(s.byType[1]!.share).toBeCloseTo(6 / 11);
  });

  it('Should tell apart playlists of different types that share an id', () => {
    const s = summarize([
      placement({ playlist: { type: 'user', id: 'radio', name: null } }),
      placement({ playlist: { type: 'generated', id: 'radio', name: 'Radio' } }),
    ]);
    expect(s.playlists).toBe(2);
  });

  it('Should show every type with zeros, and no shares, when nothing streamed', () => {
    const s = summarize([]);
    expect(s.byType.map((t) => [t.type, t.streams, t.playlists, t.share])).toEqual([
      ['editorial', 0, 0, 0],
      ['generated', 0, 0, 0],
      ['user', 0, 0, 0],
    ]);
    expect(s.playlists).toBe(0);
    const listedOnly = summarize([EDITORIAL].map((p) => ({ ...p, streams: 0 })));
    expect(listedOnly.playlists).toBe(1);
    expect(listedOnly.byType.every((t) => t.share === 0)).toBe(true);
  });
});
