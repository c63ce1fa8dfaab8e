import { describe, expect, it } from 'vitest';
import type { TrackTraits } from '../../scripts/demo/behaviour.ts';
import { actOnList, traitsFromTrack } from '../../scripts/demo/closed-loop.ts';
import { listener } from '../../scripts/demo/listeners.ts';
import { Rng } from '../../scripts/demo/rng.ts';
import { EventSchema } from '../../worker/schemas/event.ts';

const traits: TrackTraits = {
  durationMs: 200_000,
  genre: 'pop',
  energy: 0.7,
  tempo: 120,
  danceability: 0.7,
  valence: 0.6,
  acousticness: 0.1,
  instrumentalness: 0,
  speechiness: 0.05,
};
const list = { rec_id: 'rec_test', items: Array.from({ length: 10 }, (_, i) => ({ track_id: `t-${i}`, score: 1 - i / 10 })) };
const NOW = Date.UTC(2026, 10, 20, 12);

describe('actOnList (closed loop)', () => {
  it('Should tag every play with the rec_id, its position and source algorithmic', () => {
    const rng = new Rng(7);
    let sessions = 0;
    for (let i = 0; i < 50; i++) {
      const s = actOnList(rng, listener('loop', i), 'none', list, () => traits, NOW, `sim-${i}`);
      if (s.ignored) continue;
      sessions++;
      for (const e of s.events) {
        expect(e.context).toMatchObject({ source: 'algorithmic', rec_id: 'rec_test' });
        expect(e.track_id).toBe(`t-${e.context?.position}`);
        expect(e.ts).toBeLessThanOrEqual(NOW);
        expect(EventSchema.safeParse(e).error).toBeUndefined();
      }
    }
    expect(sessions).toBeGreaterThan(25);
  });

  it('Should play down the list in order, starting at the top', () => {
    const sessions = Array.from({ length: 20 }, (_, i) =>
      actOnList(new Rng(i), listener('loop', i), 'none', list, () => traits, NOW, 'sim'),
    );
    const played = sessions.filter((s) => s.plays > 1);
    expect(played.length).toBeGreaterThan(5);
    for (const s of played) {
      const starts = s.events.filter((e) => e.type === 'play_start').map((e) => e.context?.position ?? -1);
      expect(starts[0]).toBe(0);
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    }
  });

  it('Should skip more of a list that fits the moment badly (ballads for a workout)', () => {
    const ballad = { ...traits, energy: 0.2, tempo: 75, acousticness: 0.8, danceability: 0.3 };
    const skipRate = (t: TrackTraits) => {
      const rng = new Rng(11);
      let plays = 0;
      let skips = 0;
      for (let i = 0; i < 300; i++) {
        const s = actOnList(rng, listener('loop', i), 'workout', list, () => t, NOW, `s-${i}`);
        plays += s.plays;
        skips += s.skips;
      }
      return skips / plays;
    };
    expect(skipRate(ballad)).toBeGreaterThan(skipRate(traits) + 0.15);
  });

  it('Should pass over tracks it knows nothing about and act on an empty list by ignoring it', () => {
    const s = actOnList(new Rng(5), listener('loop', 2), 'none', list, () => undefined, NOW, 'sim');
    expect(s.plays).toBe(0);
    expect(actOnList(new Rng(5), listener('loop', 2), 'none', { rec_id: 'r', items: [] }, () => traits, NOW, 'x').ignored).toBe(true);
  });

  it('Should read traits from a catalogue row with neutral values for missing features', () => {
    const t = traitsFromTrack({ duration_ms: 180_000, genre: 'rock', audio_features: { energy: 0.9, tempo: null } });
    expect(t).toMatchObject({ durationMs: 180_000, genre: 'rock', energy: 0.9, tempo: 115 });
  });
});
