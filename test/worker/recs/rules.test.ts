import { describe, expect, it } from 'vitest';
import { contextTargets } from '../../../worker/recs/context.ts';
import { tasteOf } from '../../../worker/recs/history.ts';
import { rerank } from '../../../worker/recs/rerank.ts';
import { topK } from '../../../worker/recs/top-k.ts';

const WEIGHTS = { play: 1, complete: 2, save: 4, playlist_add: 4, skip: 0 };

describe('Re-ranking rules', () => {
  // Six tracks: 0-2 by artist 0 (near-identical embeddings), 3-5 by artists 1-3.
  const emb = [
    [1, 0],
    [1, 0],
    [1, 0],
    [0, 1],
    [0.7, 0.7],
    [0, 1],
  ].map((v) => Float32Array.from(v));
  const base = {
    pool: Int32Array.from([0, 1, 2, 3, 4, 5]),
    explorePool: Int32Array.from([5]),
    rel: Float32Array.from([6, 5, 4, 3, 2, 1]),
    boosts: [],
    artistOf: Int32Array.from([0, 0, 0, 1, 2, 3]),
    embedding: (i: number) => emb[i] as Float32Array,
    sourceOf: () => 'model' as const,
    limit: 4,
    maxPerArtist: 2,
    diversity: 0,
    explorationShare: 0,
  };

  it('Should follow relevance but cap tracks per artist', () => {
    expect(rerank(base).map((p) => p.index)).toEqual([0, 1, 3, 4]);
  });

  it('Should prefer novel tracks over near-duplicates as diversity grows', () => {
    expect(rerank({ ...base, maxPerArtist: 4, diversity: 0.8 }).map((p) => p.index)).toEqual([0, 3, 4, 1]);
  });

  it('Should reserve exploration slots and place campaign boosts second', () => {
    const picks = rerank({ ...base, explorationShare: 0.25, boosts: [{ index: 2, campaignId: 'c1' }] });
    expect(picks[1]).toEqual({ index: 2, source: 'campaign', campaignId: 'c1' });
    expect(picks.find((p) => p.source === 'exploration')?.index).toBe(5);
    expect(picks).toHaveLength(4);
  });

  it('Should return the k best finite values in order', () => {
    expect(Array.from(topK(Float32Array.from([0.1, 3, Number.NEGATIVE_INFINITY, 2, 5]), 3))).toEqual([4, 1, 3]);
  });
});

describe('Taste and context', () => {
  const now = Date.UTC(2026, 10, 24);
  const durationOf = () => 200_000;

  it('Should weight events by type and recency and reject quick skips and unsaves', () => {
    const taste = tasteOf(
      [
        { trackId: 'a', type: 'save', ts: now - 30 * 86_400_000, msPlayed: null },
        { trackId: 'b', type: 'play_end', ts: now - 1000, msPlayed: 195_000 },
        { trackId: 'c', type: 'skip', ts: now - 1000, msPlayed: 4_000 },
        { trackId: 'd', type: 'unsave', ts: now - 1000, msPlayed: null },
        { trackId: 'd', type: 'save', ts: now - 5000, msPlayed: null },
      ],
      now,
      { weights: WEIGHTS, halfLifeDays: 30, recentHours: 24, durationOf },
    );
    expect(taste.strength.get('a')).toBeCloseTo(2, 5);
    expect(taste.strength.get('b')).toBeCloseTo(2, 5);
    expect([...taste.rejected].sort()).toEqual(['c', 'd']);
    expect(taste.strength.has('d')).toBe(false);
    expect([...taste.recent].sort()).toEqual(['b', 'c']);
  });

  it('Should read an activity from free text and fall back to the time of day', () => {
    expect(contextTargets({ text: 'play something to help me focus' })?.activity).toBe('focus');
    expect(contextTargets({ text: 'gym time' })?.activity).toBe('workout');
    expect(contextTargets({ hour: 23, weekday: 6 })?.targets.danceability).toBe(0.85);
    expect(contextTargets({ hour: 3 })?.strength).toBeLessThan(contextTargets({ activity: 'sleep' })?.strength as number);
    expect(contextTargets({})).toBeNull();
  });
});
