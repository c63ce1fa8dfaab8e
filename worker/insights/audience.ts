/**
 * Audience depth: countries, engagement segments with their share of streams, and the listener →
 * saver → repeat-listener funnel. Pure. Definitions: INSIGHTS.countries, segment_*, funnel.
 */
import { ratio, tierOf } from '../analytics/definitions.ts';
import type { ListenerDepth } from '../db/insights.ts';

export function countriesView(rows: readonly { country: string; listeners: number; streams: number }[]) {
  const streams = rows.reduce((a, r) => a + r.streams, 0);
  const listeners = rows.reduce((a, r) => a + r.listeners, 0);
  return [...rows]
    .map((r) => ({ ...r, listener_share: ratio(r.listeners, listeners) ?? 0, stream_share: ratio(r.streams, streams) ?? 0 }))
    .sort((a, b) => b.streams - a.streams || a.country.localeCompare(b.country));
}

const TIER_SEGMENT = { super: 'super', engaged: 'moderate', light: 'light' } as const;
export type Segment = 'super' | 'moderate' | 'light' | 'previously_active' | 'programmed';

/**
 * The segments: super, moderate and light partition the listeners of the period; previously active
 * listeners have no stream in it; programmed listeners are a subset, counted over the raw events of
 * the hot window (`programmed` null when no part of the period is in it).
 */
export function segmentsView(
  listeners: readonly ListenerDepth[],
  previouslyActive: number,
  programmed: readonly { userId: string; streams: number; programmed: number }[] | null,
) {
  const total = listeners.reduce((a, l) => a + l.streams, 0);
  const acc = { super: { listeners: 0, streams: 0 }, moderate: { listeners: 0, streams: 0 }, light: { listeners: 0, streams: 0 } };
  for (const l of listeners) {
    const s = acc[TIER_SEGMENT[tierOf(l)]];
    s.listeners += 1;
    s.streams += l.streams;
  }
  const n = listeners.length;
  const seg = (segment: Segment, v: { listeners: number; streams: number }, streamShare: number | null) => ({
    segment,
    listeners: v.listeners,
    listener_share: ratio(v.listeners, n),
    streams: v.streams,
    stream_share: streamShare,
  });
  const out = (['super', 'moderate', 'light'] as const).map((k) => seg(k, acc[k], ratio(acc[k].streams, total) ?? 0));
  out.push({ segment: 'previously_active', listeners: previouslyActive, listener_share: null, streams: 0, stream_share: 0 });
  if (programmed !== null) {
    const raw = programmed.reduce((a, p) => a + p.streams, 0);
    const only = programmed.filter((p) => p.streams > 0 && p.programmed === p.streams);
    const v = { listeners: only.length, streams: only.reduce((a, p) => a + p.streams, 0) };
    out.push({ ...seg('programmed', v, ratio(v.streams, raw) ?? 0), listener_share: ratio(v.listeners, programmed.length) });
  } else {
    out.push({ segment: 'programmed', listeners: 0, listener_share: null, streams: 0, stream_share: null });
  }
  return out;
}

/** Listeners → savers → repeat listeners (savers active on ≥ 2 days); each rate is the step ÷ the one before. */
export function funnelView(listeners: readonly ListenerDepth[]) {
  const savers = listeners.filter((l) => l.saves > 0);
  const repeat = savers.filter((l) => l.activeDays >= 2);
  return [
    { step: 'listeners' as const, users: listeners.length, rate: null },
    { step: 'savers' as const, users: savers.length, rate: ratio(savers.length, listeners.length) },
    { step: 'repeat_listeners' as const, users: repeat.length, rate: ratio(repeat.length, savers.length) },
  ];
}
