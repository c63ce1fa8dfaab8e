import { describe, expect, it } from 'vitest';
import { completionProbability, fitScore, momentFit, skipProbability, type TrackTraits } from '../../scripts/demo/behaviour.ts';
import { listener } from '../../scripts/demo/listeners.ts';
import { generateWorld, TINY_WORLD } from '../../scripts/demo/world.ts';

const ballad: TrackTraits = {
  durationMs: 240_000,
  genre: 'pop',
  energy: 0.25,
  tempo: 78,
  danceability: 0.4,
  valence: 0.35,
  acousticness: 0.7,
  instrumentalness: 0.01,
  speechiness: 0.04,
};
const banger: TrackTraits = { ...ballad, energy: 0.9, tempo: 130, danceability: 0.8, acousticness: 0.05 };

describe('behaviour model', () => {
  it('Should make skips less likely and completions more likely as fit grows', () => {
    for (let f = 0; f < 1; f += 0.1) {
      expect(skipProbability(f + 0.1)).toBeLessThan(skipProbability(f));
      expect(completionProbability(f + 0.1)).toBeGreaterThan(completionProbability(f));
    }
    expect(skipProbability(0.1)).toBeGreaterThan(0.6);
    expect(skipProbability(0.9)).toBeLessThan(0.1);
  });

  it('Should judge a ballad a bad fit for a workout and a good one for sleep', () => {
    expect(momentFit('workout', ballad)).toBeLessThan(0.2);
    expect(momentFit('workout', banger)).toBeGreaterThan(0.9);
    expect(momentFit('sleep', ballad)).toBeGreaterThan(momentFit('sleep', banger));
    const l = listener('any', 1);
    expect(fitScore(l, ballad, 'workout')).toBeLessThan(fitScore(l, ballad, 'none') + 1e-9);
  });

  it('Should give the generated history plausible rates: skips fall and completions rise with fit', () => {
    const w = generateWorld({ ...TINY_WORLD, users: 300, end: Date.UTC(2026, 10, 20) });
    const traits = new Map(w.tracks.map((t, i) => [t.id, w.catalogue.traits[i]!]));
    // Bucket plays by taste fit (the moment is not logged, so taste alone splits them).
    const buckets = [0, 1].map(() => ({ plays: 0, skips: 0, completes: 0 }));
    const listeners = new Map(Array.from({ length: w.config.users }, (_, u) => [`u-${u}`, w.listener(u)]));
    for (const e of w.events()) {
      if (e.type !== 'skip' && e.type !== 'play_end') continue;
      const t = traits.get(e.track_id)!;
      const b = buckets[fitScore(listeners.get(e.user_id)!, t, 'none') >= 0.5 ? 1 : 0]!;
      b.plays++;
      if (e.type === 'skip' && (e.ms_played ?? 0) < 30_000) b.skips++;
      if ((e.ms_played ?? 0) >= 0.9 * t.durationMs) b.completes++;
    }
    const all = {
      plays: buckets[0]!.plays + buckets[1]!.plays,
      skips: buckets[0]!.skips + buckets[1]!.skips,
      completes: buckets[0]!.completes + buckets[1]!.completes,
    };
    const rate = (b: { plays: number }, n: number) => n / b.plays;
    expect(buckets[0]!.plays).toBeGreaterThan(50);
    expect(buckets[1]!.plays).toBeGreaterThan(50);
    expect(rate(buckets[0]!, buckets[0]!.skips)).toBeGreaterThan(rate(buckets[1]!, buckets[1]!.skips) + 0.1);
    expect(rate(buckets[1]!, buckets[1]!.completes)).toBeGreaterThan(rate(buckets[0]!, buckets[0]!.completes) + 0.1);
    // Industry-plausible overall figures: a skip rate of a tenth to a third, most plays completed.
    expect(rate(all, all.skips)).toBeGreaterThan(0.08);
    expect(rate(all, all.skips)).toBeLessThan(0.35);
    expect(rate(all, all.completes)).toBeGreaterThan(0.45);
    expect(rate(all, all.completes)).toBeLessThan(0.9);
  });
});
