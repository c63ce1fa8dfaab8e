/**
 * Release benchmark: a track's first 24 hours and first 7 days, cumulative, against the artist's
 * typical release (the median at each point). Pure. Definition: INSIGHTS.release_benchmark.
 */
import { BENCHMARK, ratio } from '../analytics/definitions.ts';
import { dayToIso, isoToDay } from '../analytics/period.ts';
import type { ReleaseRow } from '../db/insights.ts';
import { median } from './band.ts';

/** First day of a track's release window: its release date, else the first day it was streamed. */
export function releaseDayOf(r: ReleaseRow): { day: number; basis: 'release_date' | 'first_stream' } | null {
  if (r.releaseDate) return { day: isoToDay(r.releaseDate), basis: 'release_date' };
  if (r.firstStreamDay !== null) return { day: r.firstStreamDay, basis: 'first_stream' };
  return null;
}

/**
 * The releases "typical" is made of: the artist's other tracks whose 7-day window has ended by
 * `today`, the most recent `maxReleases`.
 */
export function comparableReleases(all: readonly ReleaseRow[], trackId: string, today: number): { trackId: string; day: number }[] {
  return all
    .filter((r) => r.trackId !== trackId)
    .flatMap((r) => {
      const s = releaseDayOf(r);
      return s && s.day + BENCHMARK.days <= today ? [{ trackId: r.trackId, day: s.day }] : [];
    })
    .sort((a, b) => b.day - a.day || a.trackId.localeCompare(b.trackId))
    .slice(0, BENCHMARK.maxReleases);
}

/** Cumulative sums of `n` slots from sparse (slot, count) rows. */
export function cumulative(rows: readonly { slot: number; count: number }[], n: number): number[] {
  const per = new Array<number>(n).fill(0);
  for (const r of rows) if (r.slot >= 0 && r.slot < n) per[r.slot] = (per[r.slot] ?? 0) + r.count;
  let run = 0;
  return per.map((v) => (run += v));
}

/** Median of each slot across curves; null for an empty set. */
export function typicalCurve(curves: readonly number[][], n: number): (number | null)[] {
  return Array.from({ length: n }, (_, i) => (curves.length === 0 ? null : median(curves.map((c) => c[i] ?? 0))));
}

export interface BenchmarkInput {
  release: { day: number; basis: 'release_date' | 'first_stream' };
  /** Slots of the track already elapsed (later ones are null in the answer). */
  elapsedHours: number;
  elapsedDays: number;
  track: { hourly: number[] | null; daily: number[] };
  typical: { hourly: (number | null)[] | null; daily: (number | null)[]; hourlyReleases: number; dailyReleases: number };
}

/** The answer's series and the sentence. */
export function benchmarkView(input: BenchmarkInput) {
  const { track, typical } = input;
  const daily = Array.from({ length: BENCHMARK.days }, (_, i) => ({
    day: i + 1,
    date: dayToIso(input.release.day + i),
    streams: i < input.elapsedDays ? (track.daily[i] ?? 0) : null,
    typical: typical.daily[i] ?? null,
  }));
  const hourly =
    track.hourly === null
      ? null
      : Array.from({ length: BENCHMARK.hours }, (_, i) => ({
          hour: i + 1,
          streams: i < input.elapsedHours ? (track.hourly?.[i] ?? 0) : null,
          typical: typical.hourly?.[i] ?? null,
        }));
  const at = (slot: { streams: number | null; typical: number | null } | undefined) => ({
    streams: slot?.streams ?? null,
    typical: slot?.typical ?? null,
    ratio: slot?.streams === null || slot?.streams === undefined || slot.typical === null ? null : ratio(slot.streams, slot.typical),
  });
  const first_24h = at(daily[0]);
  const first_7d = at(daily[BENCHMARK.days - 1]);
  return {
    release_date: dayToIso(input.release.day),
    release_basis: input.release.basis,
    first_24h,
    first_7d,
    hourly,
    daily,
    releases_compared: { hourly: typical.hourlyReleases, daily: typical.dailyReleases },
    sentence: benchmarkSentence(first_24h, first_7d, typical.dailyReleases),
  };
}

function benchmarkSentence(
  day1: { streams: number | null; typical: number | null; ratio: number | null },
  week1: { streams: number | null; typical: number | null; ratio: number | null },
  releases: number,
): string {
  if (releases === 0) return 'No earlier release to compare with yet: this is your first track with a complete first week.';
  const use = week1.streams !== null ? { w: week1, label: 'first 7 days' } : { w: day1, label: 'first 24 hours' };
  if (use.w.streams === null) return 'The release has not started yet.';
  if (use.w.ratio === null) return `Your typical release had no streams in its ${use.label}; this one has ${use.w.streams}.`;
  const r = use.w.ratio;
  const how =
    r >= 1.1
      ? `${r.toFixed(1)}× your typical release`
      : r <= 0.9
        ? `${Math.round(r * 100)} % of your typical release`
        : 'in line with your typical release';
  return `${use.w.streams.toLocaleString('en-US')} streams in the ${use.label}: ${how} (${(use.w.typical ?? 0).toLocaleString('en-US')}, median of ${releases}).`;
}
