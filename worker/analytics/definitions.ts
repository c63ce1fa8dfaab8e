/**
 * The metric definitions of the product brief (shared/spec/product.md), once, for the API, the
 * rollups and the dashboard's labels and tooltips. Pure: no Worker, Node or database imports. What a
 * stream, a completion and a counted skip are lives in contract/events.ts, shared with the trainer.
 *
 * How a play is identified: a *play* is one `play_end` or `skip` event (the event that closes a
 * listen and carries `ms_played`). *Plays started* counts `play_start` events; when a client sends
 * fewer `play_start` than closing events for a track on a day, the closing events count instead
 * (every ended play was started), so rates never exceed 100 % because of a missing start.
 */

/** Skip positions are bucketed in tenths of the track. */
export const SKIP_POSITION_BINS = 10;

export type Unit = 'count' | 'ratio' | 'per_1000_streams' | 'users';

export interface MetricDefinition {
  label: string;
  unit: Unit;
  /** One-line formula for tooltips and docs. */
  formula: string;
}

/** Every metric the API serves by name (overview, timeseries, tracks table). */
export const METRICS = {
  streams: { label: 'Streams', unit: 'count', formula: 'plays (play_end or skip) with ms_played ≥ 30 000' },
  listeners: { label: 'Listeners', unit: 'users', formula: 'distinct users with ≥ 1 stream in the period' },
  plays_started: { label: 'Plays started', unit: 'count', formula: 'play_start events (at least the plays that ended)' },
  completion_rate: { label: 'Completion rate', unit: 'ratio', formula: 'plays reaching ≥ 90 % of the track duration ÷ plays started' },
  skip_rate: { label: 'Skip rate', unit: 'ratio', formula: 'skip events with ms_played < 30 000 ÷ plays started' },
  saves: { label: 'Saves (net)', unit: 'count', formula: 'save events − unsave events' },
  saves_per_1000_streams: { label: 'Saves per 1 000 streams', unit: 'per_1000_streams', formula: 'net saves × 1 000 ÷ streams' },
  playlist_adds: { label: 'Playlist adds (net)', unit: 'count', formula: 'playlist_add events − playlist_remove events' },
  playlist_adds_per_1000_streams: {
    label: 'Playlist adds per 1 000 streams',
    unit: 'per_1000_streams',
    formula: 'net playlist adds × 1 000 ÷ streams',
  },
  algorithmic_impressions: {
    label: 'Algorithmic impressions',
    unit: 'count',
    formula: 'times a track was placed in a served recommendation list',
  },
  algorithmic_reach: {
    label: 'Algorithmic reach',
    unit: 'users',
    formula: 'distinct users shown ≥ 1 of the artist’s tracks by the recommender',
  },
  algorithmic_streams: { label: 'Algorithmic streams', unit: 'count', formula: 'streams that carry a rec_id or have source = algorithmic' },
  conversion: { label: 'Conversion', unit: 'ratio', formula: 'algorithmic streams ÷ algorithmic impressions' },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/** Breakdowns and charts that are not single numbers. */
export const BREAKDOWNS = {
  source_mix: { label: 'Source mix', formula: 'streams split by context.source' },
  skip_position: { label: 'Skip position', formula: 'histogram of ms_played ÷ duration at skip, in tenths' },
  listening_clock: { label: 'Listening clock', formula: 'streams by hour × weekday, in the listener’s time zone when known (else UTC)' },
  new_vs_returning: { label: 'New vs returning', formula: 'listeners whose first-ever stream of the artist falls in the period are new' },
  engagement_tiers: {
    label: 'Engagement tiers',
    formula: 'super: ≥ 10 completions and ≥ 1 net save; engaged: ≥ 3 streams; light: the rest',
  },
} as const;

/** Thresholds of the engagement tiers (per listener, over the period). */
export const TIERS = { superMinCompletions: 10, superMinNetSaves: 1, engagedMinStreams: 3 } as const;
export type Tier = 'super' | 'engaged' | 'light';

/** Tenth of the track at which a skip happened, 0…9 (a skip past the end falls in the last bin). */
export function skipDecile(msPlayed: number, durationMs: number): number {
  if (durationMs <= 0) return SKIP_POSITION_BINS - 1;
  return Math.min(SKIP_POSITION_BINS - 1, Math.max(0, Math.floor((SKIP_POSITION_BINS * msPlayed) / durationMs)));
}

/** `num ÷ den`, or null when there is nothing to divide by (the dashboard shows "–"). */
export function ratio(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

/** @example per1000(5, 2_000) // 2.5 */
export function per1000(count: number, streams: number): number | null {
  return streams > 0 ? (count * 1000) / streams : null;
}

/** Relative change against the previous period, or null when the previous value is 0 or unknown. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/** @example tierOf({ streams: 12, completions: 11, netSaves: 1 }) // 'super' */
export function tierOf(listener: { streams: number; completions: number; netSaves: number }): Tier {
  if (listener.completions >= TIERS.superMinCompletions && listener.netSaves >= TIERS.superMinNetSaves) return 'super';
  if (listener.streams >= TIERS.engagedMinStreams) return 'engaged';
  return 'light';
}

/** Counters that add up over days and tracks; every served metric derives from these. */
export interface Counters {
  playsStarted: number;
  plays: number;
  streams: number;
  completions: number;
  skips: number;
  saves: number;
  unsaves: number;
  playlistAdds: number;
  playlistRemoves: number;
  impressions: number;
  algorithmicStreams: number;
}

/** Metrics that derive from additive counters alone (all but listeners and reach). */
export function derivedMetrics(c: Counters) {
  const saves = c.saves - c.unsaves;
  const playlistAdds = c.playlistAdds - c.playlistRemoves;
  return {
    streams: c.streams,
    plays_started: c.playsStarted,
    completion_rate: ratio(c.completions, c.playsStarted),
    skip_rate: ratio(c.skips, c.playsStarted),
    saves,
    saves_per_1000_streams: per1000(saves, c.streams),
    playlist_adds: playlistAdds,
    playlist_adds_per_1000_streams: per1000(playlistAdds, c.streams),
    algorithmic_impressions: c.impressions,
    algorithmic_streams: c.algorithmicStreams,
    conversion: ratio(c.algorithmicStreams, c.impressions),
  };
}
