/**
 * Pure shaping of rollup sums into API answers: every number goes through the definitions.
 */
import { type Counters, change, derivedMetrics, type MetricName, ratio, SKIP_POSITION_BINS, type Tier, tierOf } from './definitions.ts';

export interface UserCounts {
  listeners: number;
  reach: number;
}

/** Every metric of the overview, from summed counters and distinct user counts. */
export function allMetrics(c: Counters, u: UserCounts): Record<MetricName, number | null> {
  return { ...derivedMetrics(c), listeners: u.listeners, algorithmic_reach: u.reach };
}

/** Metric value, previous value and change for each metric. */
export function withChange(current: Record<MetricName, number | null>, previous: Record<MetricName, number | null>) {
  const out = {} as Record<MetricName, { value: number | null; previous: number | null; change: number | null }>;
  for (const name of Object.keys(current) as MetricName[]) {
    out[name] = { value: current[name], previous: previous[name], change: change(current[name], previous[name]) };
  }
  return out;
}

/**
 * Sorts rows by a column, nulls last whatever the order; ties broken by title for stable output.
 *
 * @example sortRows([{ title: 'b', streams: 1 }, { title: 'a', streams: 3 }], 'streams', 'desc')
 */
export function sortRows<T extends { title: string }>(rows: T[], key: string, order: 'asc' | 'desc'): T[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = (a as Record<string, unknown>)[key];
    const y = (b as Record<string, unknown>)[key];
    if (x === y) return a.title.localeCompare(b.title);
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    if (typeof x === 'string' && typeof y === 'string') return sign * x.localeCompare(y);
    return sign * (Number(x) - Number(y));
  });
}

/** Ten bins of skip position, zeros included. */
export function skipHistogram(counts: ReadonlyMap<number, number>) {
  return Array.from({ length: SKIP_POSITION_BINS }, (_, bin) => ({
    bin,
    from_share: bin / SKIP_POSITION_BINS,
    to_share: (bin + 1) / SKIP_POSITION_BINS,
    skips: counts.get(bin) ?? 0,
  }));
}

/** Streams per source with their share, largest first. */
export function sourceMix(streamsBySource: ReadonlyMap<string, number>) {
  const total = [...streamsBySource.values()].reduce((a, b) => a + b, 0);
  return [...streamsBySource]
    .map(([source, streams]) => ({ source, streams, share: ratio(streams, total) ?? 0 }))
    .sort((a, b) => b.streams - a.streams || a.source.localeCompare(b.source));
}

/** The 168 cells of the listening clock, weekday-major, zeros included. */
export function clockGrid(cells: readonly { weekday: number; hour: number; streams: number }[]) {
  const grid = Array.from({ length: 7 * 24 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, streams: 0 }));
  for (const c of cells) {
    const cell = grid[c.weekday * 24 + c.hour];
    if (cell) cell.streams += c.streams;
  }
  return grid;
}

/** New vs returning listeners and engagement tiers of a period starting on day `from`. */
export function audienceSummary(
  listeners: readonly { streams: number; completions: number; netSaves: number; firstStreamDay: number }[],
  from: number,
) {
  const tiers: Record<Tier, number> = { super: 0, engaged: 0, light: 0 };
  let fresh = 0;
  for (const l of listeners) {
    tiers[tierOf(l)] += 1;
    if (l.firstStreamDay >= from) fresh += 1;
  }
  const n = listeners.length;
  return {
    listeners: n,
    new_listeners: fresh,
    returning_listeners: n - fresh,
    tiers: (['super', 'engaged', 'light'] as const).map((tier) => ({ tier, listeners: tiers[tier], share: ratio(tiers[tier], n) ?? 0 })),
  };
}
