/**
 * "What drives your reach": the decomposition of algorithmic streams (decompose.ts) per surface and
 * per track, shaped for the API, with the plain sentences the dashboard shows. Pure.
 */
import { change, ratio } from '../analytics/definitions.ts';
import type { SurfaceReachRow, TrackReachRow } from '../db/insights.ts';
import { type Contribution, type FunnelCell, splitChange, sumContributions } from './decompose.ts';

export interface Compared {
  previous: number | null;
  current: number | null;
  change: number | null;
}

const compared = (previous: number | null, current: number | null): Compared => ({ previous, current, change: change(current, previous) });

/** Display name of a surface key: `daily_mix` → `Daily Mix`, `unknown` → `an unknown surface`. */
export function surfaceLabel(surface: string): string {
  if (surface === 'unknown') return 'an unknown surface';
  return surface
    .split(/[_-]+/)
    .filter(Boolean)
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
    .join(' ');
}

function funnelOf(p: FunnelCell, c: FunnelCell) {
  return {
    algorithmic_streams: compared(p.streams, c.streams),
    impressions: compared(p.impressions, c.impressions),
    conversion: compared(ratio(p.streams, p.impressions), ratio(c.streams, c.impressions)),
  };
}

const rounded = (x: Contribution): Contribution => ({
  total: x.total,
  impressions: Math.round(x.impressions * 100) / 100,
  conversion: Math.round(x.conversion * 100) / 100,
  unattributed: Math.round(x.unattributed * 100) / 100,
});

/** Signed whole percent: +38 %, −9 % (a real minus sign), or null. */
export function pct(x: number | null): string | null {
  if (x === null || !Number.isFinite(x)) return null;
  const n = Math.round(x * 100);
  return `${n >= 0 ? '+' : '−'}${Math.abs(n)} %`;
}

const streamsWord = (n: number) => `${Math.round(Math.abs(n)).toLocaleString('en-US')} stream${Math.round(Math.abs(n)) === 1 ? '' : 's'}`;

export interface ReachInput {
  tracks: readonly TrackReachRow[];
  surfaces: readonly SurfaceReachRow[];
  /** First and last day of the current period (ISO), to tell a new release. */
  period: { from: string; to: string };
}

/**
 * The decomposition and its sentences. Every row's `contribution` parts sum to its `total`, and the
 * artist's `contribution` is the sum of its surfaces' (equal to the sum of its tracks' totals).
 */
export function reachDrivers(input: ReachInput) {
  const titles = new Map(input.tracks.map((t) => [t.trackId, t]));
  const isNew = (trackId: string) => {
    const d = titles.get(trackId)?.releaseDate;
    return d !== null && d !== undefined && d >= input.period.from && d <= input.period.to;
  };

  // Surfaces: sum their tracks' cells, decompose each surface; its top track is the one that moved its largest factor most.
  const bySurface = new Map<string, SurfaceReachRow[]>();
  for (const r of input.surfaces) bySurface.set(r.surface, [...(bySurface.get(r.surface) ?? []), r]);
  const surfaces = [...bySurface].map(([surface, rows]) => {
    const p = { impressions: 0, streams: 0 };
    const c = { impressions: 0, streams: 0 };
    for (const r of rows) {
      p.impressions += r.pImpressions;
      p.streams += r.pStreams;
      c.impressions += r.cImpressions;
      c.streams += r.cStreams;
    }
    const contribution = splitChange(p, c);
    const driver = Math.abs(contribution.impressions) >= Math.abs(contribution.conversion) ? 'impressions' : 'conversion';
    const sign = Math.sign(contribution.total) || 1;
    // The track whose impressions (or streams) moved most in the direction of the surface's change.
    const top = [...rows]
      .map((r) => ({ r, moved: driver === 'impressions' ? r.cImpressions - r.pImpressions : r.cStreams - r.pStreams }))
      .filter((x) => Math.sign(x.moved) === sign)
      .sort((a, b) => Math.abs(b.moved) - Math.abs(a.moved) || a.r.trackId.localeCompare(b.r.trackId))[0];
    return {
      surface,
      label: surfaceLabel(surface),
      ...funnelOf(p, c),
      contribution: rounded(contribution),
      top_track: top
        ? {
            track_id: top.r.trackId,
            title: titles.get(top.r.trackId)?.title ?? top.r.trackId,
            new_release: isNew(top.r.trackId),
            impressions: compared(top.r.pImpressions, top.r.cImpressions),
            algorithmic_streams: compared(top.r.pStreams, top.r.cStreams),
          }
        : null,
      _raw: contribution,
    };
  });
  surfaces.sort((a, b) => Math.abs(b._raw.total) - Math.abs(a._raw.total) || a.surface.localeCompare(b.surface));

  const tracks = input.tracks
    .map((t) => {
      const p = { impressions: t.pImpressions, streams: t.pAlgorithmicStreams };
      const c = { impressions: t.cImpressions, streams: t.cAlgorithmicStreams };
      const contribution = splitChange(p, c);
      return {
        track_id: t.trackId,
        title: t.title,
        release_date: t.releaseDate,
        new_release: isNew(t.trackId),
        ...funnelOf(p, c),
        completion: compared(ratio(t.pCompletions, t.pStreams), ratio(t.cCompletions, t.cStreams)),
        contribution: rounded(contribution),
        _raw: contribution,
      };
    })
    .filter(
      (t) =>
        t.algorithmic_streams.previous !== 0 ||
        t.algorithmic_streams.current !== 0 ||
        t.impressions.previous !== 0 ||
        t.impressions.current !== 0,
    )
    .sort((a, b) => Math.abs(b._raw.total) - Math.abs(a._raw.total) || a.track_id.localeCompare(b.track_id));

  const p = { impressions: 0, streams: 0, allStreams: 0, completions: 0 };
  const c = { impressions: 0, streams: 0, allStreams: 0, completions: 0 };
  for (const t of input.tracks) {
    p.impressions += t.pImpressions;
    p.streams += t.pAlgorithmicStreams;
    p.allStreams += t.pStreams;
    p.completions += t.pCompletions;
    c.impressions += t.cImpressions;
    c.streams += t.cAlgorithmicStreams;
    c.allStreams += t.cStreams;
    c.completions += t.cCompletions;
  }
  const totals = {
    ...funnelOf(p, c),
    completion: compared(ratio(p.completions, p.allStreams), ratio(c.completions, c.allStreams)),
  };
  const contribution = sumContributions(surfaces.map((s) => s._raw));
  const sentences = sentencesOf(totals, surfaces, contribution);
  const strip = <T extends { _raw: Contribution }>({ _raw, ...rest }: T) => rest;
  return {
    totals,
    contribution: rounded(contribution),
    surfaces: surfaces.map(strip),
    tracks: tracks.map(strip),
    sentences,
  };
}

type Totals = ReturnType<typeof funnelOf> & { completion: Compared };
type SurfaceOut = {
  label: string;
  impressions: Compared;
  conversion: Compared;
  _raw: Contribution;
  top_track: { title: string; new_release: boolean } | null;
};

/**
 * Plain sentences: the headline (streams, impressions, conversion), up to three surfaces that moved
 * the most and why, and completion when it moved by 2 points or more.
 *
 * @example "Algorithmic streams +38 % (1,200 → 1,656): impressions +52 %, conversion −9 %."
 */
export function sentencesOf(totals: Totals, surfaces: readonly SurfaceOut[], contribution: Contribution): string[] {
  const a0 = totals.algorithmic_streams.previous ?? 0;
  const a1 = totals.algorithmic_streams.current ?? 0;
  if (a0 === 0 && a1 === 0) {
    const i1 = totals.impressions.current ?? 0;
    return [
      i1 > 0
        ? `Recommendations showed your tracks ${i1.toLocaleString('en-US')} times, but no one streamed them from there yet.`
        : 'No algorithmic streams in either period: recommendations have not played your music yet.',
    ];
  }
  const out: string[] = [];
  const head =
    a0 === 0
      ? `Algorithmic streams went from 0 to ${a1.toLocaleString('en-US')}`
      : `Algorithmic streams ${pct(totals.algorithmic_streams.change)} (${a0.toLocaleString('en-US')} → ${a1.toLocaleString('en-US')})`;
  const factors = [
    pct(totals.impressions.change) && `impressions ${pct(totals.impressions.change)}`,
    pct(totals.conversion.change) && `conversion ${pct(totals.conversion.change)}`,
  ].filter(Boolean);
  out.push(`${head}${factors.length > 0 ? `: ${factors.join(', ')}` : ''}.`);

  for (const s of surfaces.slice(0, 3)) {
    if (Math.round(s._raw.total) === 0) continue;
    const byImpressions = Math.abs(s._raw.impressions) >= Math.abs(s._raw.conversion);
    const part = byImpressions ? s._raw.impressions : s._raw.conversion;
    if (Math.round(part) === 0) continue;
    const factor = byImpressions ? s.impressions : s.conversion;
    const what = byImpressions
      ? `${part > 0 ? 'more' : 'fewer'} impressions on ${s.label}${pct(factor.change) ? ` (${pct(factor.change)})` : ''}`
      : `${part > 0 ? 'better' : 'lower'} conversion on ${s.label}${pct(factor.change) ? ` (${pct(factor.change)})` : ''}`;
    const track = s.top_track ? `, mostly ${s.top_track.new_release ? 'the new release ' : ''}'${s.top_track.title}'` : '';
    out.push(`${part > 0 ? '+' : '−'}${streamsWord(part)} from ${what}${track}.`);
  }
  if (Math.round(contribution.unattributed) !== 0) {
    out.push(
      `${contribution.unattributed > 0 ? '+' : '−'}${streamsWord(contribution.unattributed)} came from algorithmic plays with no recorded impression.`,
    );
  }
  const q0 = totals.completion.previous;
  const q1 = totals.completion.current;
  if (q0 !== null && q1 !== null && Math.abs(q1 - q0) >= 0.02) {
    out.push(`Listeners finished ${Math.round(q1 * 100)} % of your streams, ${q1 > q0 ? 'up' : 'down'} from ${Math.round(q0 * 100)} %.`);
  }
  return out;
}
