/**
 * What drives your reach: the log-share split on hand-checked numbers, through the pure functions and
 * through the route.
 */
import type { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { logMean, logShares, splitChange } from '../../../worker/insights/decompose.ts';
import type { ReachDriversSchema } from '../../../worker/schemas/insights.ts';
import { api, mintKey } from '../helpers.ts';
import { seedArtist, seedSurfaces, seedTrackDays } from './seed.ts';

const P = 'ir';
const A = `${P}-a`;

describe('Reach decomposition', () => {
  it('Should split a change between impressions and conversion by log shares, the parts summing to the change', () => {
    // 10 → 15 streams while impressions double (100 → 200) and conversion falls from 10 % to 7.5 %.
    const L = 5 / Math.log(1.5); // L(15, 10) = 12.3315
    const part = splitChange({ impressions: 100, streams: 10 }, { impressions: 200, streams: 15 });
    expect(part.total).toBe(5);
    expect(part.impressions).toBeCloseTo(L * Math.log(2), 10); // 8.5476
    expect(part.conversion).toBeCloseTo(L * Math.log(0.075 / 0.1), 10); // −3.5476
    expect(part.impressions + part.conversion + part.unattributed).toBeCloseTo(5, 12);
    expect(logMean(15, 10)).toBeCloseTo(12.3315, 4);
    const shares = logShares({ impressions: 100, streams: 10 }, { impressions: 200, streams: 15 });
    expect(shares!.impressions + shares!.conversion).toBeCloseTo(1, 12);
  });

  it('Should put a row that appears on impressions, a row whose streams vanish on conversion, and streams without impressions nowhere', () => {
    expect(splitChange({ impressions: 0, streams: 0 }, { impressions: 10, streams: 2 })).toEqual({
      total: 2,
      impressions: 2,
      conversion: 0,
      unattributed: 0,
    });
    expect(splitChange({ impressions: 50, streams: 3 }, { impressions: 40, streams: 0 })).toEqual({
      total: -3,
      impressions: 0,
      conversion: -3,
      unattributed: 0,
    });
    expect(splitChange({ impressions: 0, streams: 1 }, { impressions: 0, streams: 0 })).toEqual({
      total: -1,
      impressions: 0,
      conversion: 0,
      unattributed: -1,
    });
  });

  it('Should serve the decomposition per surface and track with parts that add up, and say it in sentences', async () => {
    await seedArtist(A, [
      { id: `${P}-t1`, title: 'Night Drive', releaseDate: '2026-11-09' },
      { id: `${P}-t2`, title: 'Slow Tide', releaseDate: '2025-01-01' },
    ]);
    const prev = '2026-11-03';
    const cur = '2026-11-10';
    // t1: home (100 → 200 impressions, 10 → 15 streams) and 1 → 0 algorithmic stream with no impression;
    // t2: radio (50 → 60, 10 → 8) and editorial (0 → 10, 0 → 2).
    await seedTrackDays([
      { trackId: `${P}-t1`, artistId: A, day: prev, streams: 20, completions: 10, impressions: 100, algorithmicStreams: 11 },
      { trackId: `${P}-t1`, artistId: A, day: cur, streams: 30, completions: 12, impressions: 200, algorithmicStreams: 15 },
      { trackId: `${P}-t2`, artistId: A, day: prev, streams: 10, completions: 5, impressions: 50, algorithmicStreams: 10 },
      { trackId: `${P}-t2`, artistId: A, day: cur, streams: 10, completions: 5, impressions: 60, algorithmicStreams: 10 },
    ]);
    await seedSurfaces([
      { trackId: `${P}-t1`, artistId: A, day: prev, surface: 'home', impressions: 100, streams: 10 },
      { trackId: `${P}-t1`, artistId: A, day: prev, surface: 'unknown', impressions: 0, streams: 1 },
      { trackId: `${P}-t1`, artistId: A, day: cur, surface: 'home', impressions: 200, streams: 15 },
      { trackId: `${P}-t2`, artistId: A, day: prev, surface: 'radio', impressions: 50, streams: 10 },
      { trackId: `${P}-t2`, artistId: A, day: cur, surface: 'radio', impressions: 60, streams: 8 },
      { trackId: `${P}-t2`, artistId: A, day: cur, surface: 'editorial', impressions: 10, streams: 2 },
    ]);
    const key = await mintKey('artist', [A]);
    const res = await api(`/v1/artists/${A}/insights/reach?from=2026-11-08&to=2026-11-14`, { key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as z.infer<typeof ReachDriversSchema>;
    expect(body.compare_period).toEqual({ from: '2026-11-01', to: '2026-11-07' });
    expect(body.totals.algorithmic_streams).toMatchObject({ previous: 21, current: 25 });
    // Home: L(15, 10) = 5 ÷ ln 1.5 = 12.3315; impressions 12.3315 · ln 2 = 8.5476, conversion 5 − 8.5476 = −3.5476.
    // Radio: L(8, 10) = −2 ÷ ln 0.8 = 8.9628; impressions 8.9628 · ln 1.2 = 1.6341, conversion −2 − 1.6341 = −3.6341.
    // Editorial appears: +2 on impressions. Unknown: 1 → 0 streams without impressions, −1 unattributed.
    // Impressions 8.5476 + 1.6341 + 2 = 12.1817; conversion −3.5476 − 3.6341 = −7.1817; −1; total 4.
    expect(body.contribution).toEqual({ total: 4, impressions: 12.18, conversion: -7.18, unattributed: -1 });
    for (const c of [...body.surfaces.map((s) => s.contribution), ...body.tracks.map((t) => t.contribution), body.contribution]) {
      expect(c.impressions + c.conversion + c.unattributed).toBeCloseTo(c.total, 1);
    }
    expect(body.surfaces.map((s) => s.surface)).toEqual(['home', 'editorial', 'radio', 'unknown']);
    expect(body.surfaces[0]?.top_track).toMatchObject({ track_id: `${P}-t1`, title: 'Night Drive', new_release: true });
    const trackTotal = body.tracks.reduce((a, t) => a + t.contribution.total, 0);
    expect(trackTotal).toBe(4);
    expect(body.totals.completion).toMatchObject({ previous: 0.5, current: 17 / 40 });
    expect(body.sentences).toEqual([
      'Algorithmic streams +19 % (21 → 25): impressions +73 %, conversion −31 %.',
      "+9 streams from more impressions on Home (+100 %), mostly the new release 'Night Drive'.",
      "+2 streams from more impressions on Editorial, mostly 'Slow Tide'.",
      "−4 streams from lower conversion on Radio (−33 %), mostly 'Slow Tide'.",
      '−1 stream came from algorithmic plays with no recorded impression.',
      'Listeners finished 43 % of your streams, down from 50 %.',
    ]);
  });

  it('Should compare with a period of the same length from compare_from', async () => {
    const ok = await api(`/v1/artists/${A}/insights/reach?from=2026-11-10&to=2026-11-10&compare_from=2026-11-03`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as z.infer<typeof ReachDriversSchema>;
    expect(body.compare_period).toEqual({ from: '2026-11-03', to: '2026-11-03' });
    expect(body.contribution.total).toBe(4);
    const bad = await api(`/v1/artists/${A}/insights/reach?compare_from=2026-13-03`);
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(err.error.code).toBe('invalid_request');
    expect(err.error.details.issues[0]?.path).toBe('query.compare_from');
  });
});
