/**
 * The demo's imported listener (scripts/demo/imported-listener.ts): a synthetic Spotify extended
 * history, deterministic from the world, whose catalogue tracks the matcher finds and whose few
 * unknown tracks it does not.
 */
import { describe, expect, it } from 'vitest';
import { syntheticSpotifyHistory, UNKNOWN_TRACKS } from '../../scripts/demo/imported-listener.ts';
import { generateWorld, TINY_WORLD } from '../../scripts/demo/world.ts';
import { createMatcher, detectFormat, readSpotify } from '../../worker/imports/index.ts';

const END = Date.UTC(2026, 10, 20, 12);
const world = generateWorld({ ...TINY_WORLD, end: END });

describe('the synthetic Spotify history of the demo listener', () => {
  it('Should be the same for the same world and differ for another seed', () => {
    const a = syntheticSpotifyHistory(world);
    const b = syntheticSpotifyHistory(generateWorld({ ...TINY_WORLD, end: END }));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const other = syntheticSpotifyHistory(generateWorld({ ...TINY_WORLD, seed: 'other', end: END }));
    expect(JSON.stringify(other.records)).not.toBe(JSON.stringify(a.records));
  });

  it('Should read as a Spotify export whose catalogue tracks match by title and artist and whose unknown tracks stay unmatched', async () => {
    const h = syntheticSpotifyHistory(world);
    const text = JSON.stringify(h.records);
    expect(detectFormat(text.slice(0, 4096), 'Streaming_History_Audio_2025_demo.json')).toBe('spotify');
    const matcher = createMatcher(world.tracks.map((t) => ({ track_id: t.id, title: t.title, artist_name: t.artist.name })));
    const unknownArtists = new Set(UNKNOWN_TRACKS.map((u) => u.artist));
    let listens = 0;
    let podcasts = 0;
    let unknown = 0;
    for await (const item of readSpotify([text])) {
      expect(item.kind).not.toBe('error');
      if (item.kind === 'skipped') {
        expect(item.reason).toBe('podcast');
        podcasts++;
        continue;
      }
      if (item.kind !== 'listen') continue;
      listens++;
      const l = item.listen;
      expect(l.ts).toBeLessThan(END);
      expect(l.ts).toBeGreaterThan(END - 61 * 86_400_000);
      const m = matcher.match(l);
      expect(m?.track_id ?? null).toBe(h.trackIds[l.index]);
      if (unknownArtists.has(l.artist_name)) {
        expect(m).toBeNull();
        unknown++;
      } else expect(m?.method).toBe('exact');
    }
    expect(listens).toBeGreaterThan(300);
    expect(podcasts).toBeGreaterThan(0);
    expect(unknown).toBeGreaterThan(5);
    expect(unknown).toBeLessThan(listens / 5);
    // Records are in the export's order: by time.
    const ts = h.records.map((r) => Date.parse(r.ts) - r.ms_played);
    expect(ts).toEqual([...ts].sort((x, y) => x - y));
  });
});
