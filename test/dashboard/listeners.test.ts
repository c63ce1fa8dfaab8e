import { describe, expect, it } from 'vitest';
import {
  contents,
  coverText,
  generatedAt,
  hasHistory,
  previewHref,
  remember,
  trackCount,
  viewOf,
} from '../../dashboard/src/lib/listeners.ts';

describe('viewOf and previewHref', () => {
  it('Should read the listener, then a playlist before a radio, and ignore blank values', () => {
    expect(viewOf(new URLSearchParams(''))).toEqual({ user: null });
    expect(viewOf(new URLSearchParams('user=%20&playlist=discover-weekly'))).toEqual({ user: null });
    expect(viewOf(new URLSearchParams('user=u-1'))).toEqual({ user: 'u-1' });
    expect(viewOf(new URLSearchParams('user=u-1&playlist=daily-mix-2&radio=t-9'))).toEqual({ user: 'u-1', playlist: 'daily-mix-2' });
    expect(viewOf(new URLSearchParams('user=u-1&playlist=&radio=t-9'))).toEqual({ user: 'u-1', radio: 't-9' });
  });

  it('Should write URLs that read back as the same view, with ids encoded', () => {
    for (const view of [
      { user: null },
      { user: 'u 1&x' },
      { user: 'u-1', playlist: 'daily-mix-1' },
      { user: 'u-1', radio: 't/9' },
    ] as const) {
      const href = previewHref(view);
      expect(href.startsWith('/listeners')).toBe(true);
      expect(viewOf(new URL(href, 'http://x').searchParams)).toEqual(view);
    }
    expect(previewHref({ user: 'u 1', radio: 't-9' })).toBe('/listeners?user=u+1&radio=t-9');
  });
});

describe('playlist cards', () => {
  it('Should count tracks in words', () => {
    expect([0, 1, 30].map(trackCount)).toEqual(['No tracks yet', '1 track', '30 tracks']);
  });

  it('Should say what a listener has, naming a missing Daily Mix', () => {
    expect(contents(['daily-mix-1', 'daily-mix-2', 'discover-weekly', 'release-radar'])).toBe(
      '2 Daily Mixes, Discover Weekly and Release Radar',
    );
    expect(contents(['daily-mix-1', 'discover-weekly'])).toBe('1 Daily Mix and Discover Weekly');
    expect(contents(['discover-weekly', 'release-radar'])).toBe('Discover Weekly and Release Radar; no Daily Mix yet');
    expect(contents([])).toBe('Nothing; no Daily Mix yet');
  });

  it('Should see history only when some list is kept for a period', () => {
    expect(hasHistory([{ period: null }, { period: null }])).toBe(false);
    expect(hasHistory([{ period: null }, { period: '2026-W49' }])).toBe(true);
    expect(hasHistory([])).toBe(false);
  });

  it('Should write white on dark covers and black on light ones', () => {
    // The API's cover colours (worker/recs/surfaces/playlists.ts) are dark enough for white.
    for (const c of ['#e13300', '#1e3264', '#8d67ab', '#148a08', '#dc148c', '#006450', '#477d95', '#ba5d07', '#503750']) {
      expect(coverText(c)).toBe('#ffffff');
    }
    for (const c of ['#ffffff', '#f5d547', '#9be3c0']) expect(coverText(c)).toBe('#000000');
    expect(coverText('red')).toBe('#ffffff');
  });

  it('Should give the generation time to the minute in UTC', () => {
    expect(generatedAt('2026-11-24T14:32:05.000Z')).toBe('2026-11-24 14:32 UTC');
    expect(generatedAt('yesterday')).toBe('at an unknown time');
  });
});

describe('remember', () => {
  it('Should put the newest first, without repeats, keeping at most max', () => {
    expect(remember(['u-2', 'u-1'], 'u-1')).toEqual(['u-1', 'u-2']);
    expect(remember(['u-3', 'u-2', 'u-1'], 'u-4', 3)).toEqual(['u-4', 'u-3', 'u-2']);
    expect(remember([], 'u-1')).toEqual(['u-1']);
  });
});
