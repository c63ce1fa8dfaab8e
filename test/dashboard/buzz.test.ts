import { describe, expect, it } from 'vitest';
import {
  formatSentiment,
  formatVelocity,
  isQuiet,
  meanSentiment,
  SPIKE_VELOCITY,
  sentimentWord,
  spikes,
} from '../../dashboard/src/lib/buzz.ts';

const day = (date: string, mentions: number, velocity: number, sentiment: number | null = null) => ({
  date,
  mentions,
  velocity,
  sentiment,
});

describe('Press & buzz shaping', () => {
  it('Should join consecutive spike days into one run and put the strongest run first', () => {
    const runs = spikes([
      day('2026-11-01', 6, SPIKE_VELOCITY),
      day('2026-11-02', 9, 5.5),
      day('2026-11-03', 1, 0.4),
      day('2026-11-04', 12, 7),
      day('2026-11-05', 0, 9),
    ]);
    expect(runs).toEqual([
      { from: '2026-11-04', to: '2026-11-04', mentions: 12, peak: 7 },
      { from: '2026-11-01', to: '2026-11-02', mentions: 15, peak: 5.5 },
    ]);
    expect(spikes([day('2026-11-01', 4, SPIKE_VELOCITY - 0.01)])).toEqual([]);
  });

  it('Should weight the mean sentiment by mentions and skip days without a reading', () => {
    expect(meanSentiment([day('a', 3, 0, 0.5), day('b', 1, 0, -0.5), day('c', 4, 0, null)])).toBeCloseTo(0.25);
    expect(meanSentiment([day('a', 0, 0, 0.9)])).toBeNull();
  });

  it('Should name and sign sentiment and velocity at their boundaries', () => {
    expect([0.5, 0.11, 0.1, -0.1, -0.11, -0.5].map(sentimentWord)).toEqual([
      'very positive',
      'positive',
      'neutral',
      'neutral',
      'negative',
      'very negative',
    ]);
    expect(sentimentWord(null)).toBe('no reading');
    expect(formatSentiment(-0.304)).toBe('−0.30');
    expect(formatSentiment(0.004)).toBe('0.00');
    expect(formatVelocity(4.26)).toBe('+4.3');
    expect(formatVelocity(-0.04)).toBe('0.0');
  });

  it('Should call a period quiet only when it has neither mentions nor articles', () => {
    expect(isQuiet({ days: [day('a', 0, 0)], articles: [] })).toBe(true);
    expect(isQuiet({ days: [day('a', 1, 0)], articles: [] })).toBe(false);
    expect(isQuiet({ days: [day('a', 0, 0)], articles: [{}] })).toBe(false);
  });
});
