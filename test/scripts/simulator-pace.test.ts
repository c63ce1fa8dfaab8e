/**
 * The simulator continues the history at its own pace (issue 28, item 5): by default twice the
 * world's daily event volume, not ~200 times it, so today's numbers look like the days before.
 */
import { describe, expect, it } from 'vitest';
import type { TrackTraits } from '../../scripts/demo/behaviour.ts';
import { actOnList } from '../../scripts/demo/closed-loop.ts';
import { listener } from '../../scripts/demo/listeners.ts';
import { Rng } from '../../scripts/demo/rng.ts';
import { historyRate } from '../../scripts/demo/simulator.ts';
import type { DemoState } from '../../scripts/demo/state.ts';
import { DEFAULT_WORLD } from '../../scripts/demo/world.ts';

const traits: TrackTraits = {
  durationMs: 200_000,
  genre: 'pop',
  energy: 0.6,
  tempo: 118,
  danceability: 0.6,
  valence: 0.5,
  acousticness: 0.2,
  instrumentalness: 0.05,
  speechiness: 0.05,
};
const list = { rec_id: 'rec_pace', items: Array.from({ length: 10 }, (_, i) => ({ track_id: `t-${i}` })) };

function stateWith(events: number, days: number): DemoState {
  return {
    format: 'backbeat-demo/1',
    persistTo: null,
    world: {
      config: { ...DEFAULT_WORLD, days, end: Date.UTC(2026, 10, 24) },
      loadedAt: '2026-11-24T00:00:00Z',
      summary: { events: { sent: events } } as NonNullable<DemoState['world']>['summary'],
    },
  };
}

describe('Simulator pace', () => {
  it('Should send about `pace` times the history’s daily events, with sessions as the simulator acts them', () => {
    // What a session sends, measured on the behaviour model itself (lists of 10, as the simulator asks).
    const rng = new Rng(3);
    let events = 0;
    const sessions = 2000;
    for (let i = 0; i < sessions; i++)
      events += actOnList(rng, listener('pace', i % 500), 'none', list, () => traits, Date.now(), `p-${i}`).events.length;
    const perSession = events / sessions;
    const history = stateWith(750_000, 120);
    const perDay = (historyRate(history, 2) as number) * 86_400 * perSession;
    // Twice 6 250 events a day, within a third: the pace is set by the data, not a fixed rate.
    expect(perDay).toBeGreaterThan((2 * 6250) / 1.35);
    expect(perDay).toBeLessThan(2 * 6250 * 1.35);
    expect(historyRate(history, 1)).toBeCloseTo((historyRate(history, 2) as number) / 2, 10);
  });

  it('Should have no pace without a generated world (imported data takes --rate)', () => {
    expect(historyRate(null, 2)).toBeNull();
    expect(historyRate({ format: 'backbeat-demo/1', persistTo: null }, 2)).toBeNull();
  });
});
