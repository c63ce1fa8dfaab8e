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
  /** What it means, in plain language (the dashboard's hint; the formula is one click away). */
  plain: string;
  unit: Unit;
  /** One-line formula for tooltips and docs. */
  formula: string;
}

/** Every metric the API serves by name (overview, timeseries, tracks table). */
export const METRICS = {
  streams: {
    label: 'Streams',
    plain: 'Plays of at least 30 seconds.',
    unit: 'count',
    formula: 'plays (play_end or skip) with ms_played ≥ 30 000',
  },
  listeners: {
    label: 'Listeners',
    plain: 'People who streamed you at least once.',
    unit: 'users',
    formula: 'distinct users with ≥ 1 stream in the period',
  },
  plays_started: {
    label: 'Plays started',
    plain: 'Times someone pressed play.',
    unit: 'count',
    formula: 'play_start events (at least the plays that ended)',
  },
  completion_rate: {
    label: 'Completion rate',
    plain: 'How often a play reached the end of the song.',
    unit: 'ratio',
    formula: 'plays reaching ≥ 90 % of the track duration ÷ plays started',
  },
  skip_rate: {
    label: 'Skip rate',
    plain: 'How often a play was skipped within the first 30 seconds.',
    unit: 'ratio',
    formula: 'skip events with ms_played < 30 000 ÷ plays started',
  },
  saves: {
    label: 'Saves (net)',
    plain: 'Times people saved your songs, minus the times they removed them.',
    unit: 'count',
    formula: 'save events − unsave events',
  },
  saves_per_1000_streams: {
    label: 'Saves per 1 000 streams',
    plain: 'Saves for every thousand streams.',
    unit: 'per_1000_streams',
    formula: 'net saves × 1 000 ÷ streams',
  },
  playlist_adds: {
    label: 'Playlist adds (net)',
    plain: 'Times people put your songs on their own playlists, minus removals.',
    unit: 'count',
    formula: 'playlist_add events − playlist_remove events',
  },
  playlist_adds_per_1000_streams: {
    label: 'Playlist adds per 1 000 streams',
    plain: 'Playlist adds for every thousand streams.',
    unit: 'per_1000_streams',
    formula: 'net playlist adds × 1 000 ÷ streams',
  },
  algorithmic_impressions: {
    label: 'Algorithmic impressions',
    plain: 'Times the recommender showed one of your songs in a list.',
    unit: 'count',
    formula: 'times a track was placed in a served recommendation list',
  },
  algorithmic_reach: {
    label: 'Algorithmic reach',
    plain: 'People the recommender showed your music to.',
    unit: 'users',
    formula: 'distinct users shown ≥ 1 of the artist’s tracks by the recommender',
  },
  algorithmic_streams: {
    label: 'Algorithmic streams',
    plain: 'Streams that came from recommendations.',
    unit: 'count',
    formula: 'streams that carry a rec_id or have source = algorithmic',
  },
  conversion: {
    label: 'Conversion',
    plain: 'Of the times the recommender showed your song, how often people played it.',
    unit: 'ratio',
    formula: 'algorithmic streams ÷ algorithmic impressions',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/** Breakdowns and charts that are not single numbers. */
export const BREAKDOWNS = {
  source_mix: {
    label: 'Source mix',
    plain: 'Where your streams came from: recommendations, search, people’s own library or playlists.',
    formula: 'streams split by context.source',
  },
  skip_position: {
    label: 'Skip position',
    plain: 'How far into the song people skipped.',
    formula: 'histogram of ms_played ÷ duration at skip, in tenths',
  },
  listening_clock: {
    label: 'Listening clock',
    plain: 'When in the week people listen to you.',
    formula: 'streams by hour × weekday, in the listener’s time zone when known (else UTC)',
  },
  new_vs_returning: {
    label: 'New vs returning',
    plain: 'People hearing you for the first time against people who came back.',
    formula: 'listeners whose first-ever stream of the artist falls in the period are new',
  },
  engagement_tiers: {
    label: 'Engagement tiers',
    plain: 'How devoted your listeners are.',
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

/**
 * Insights (worker/insights/): each with a plain-language line for the dashboard and the exact
 * definition one click away.
 */
export interface InsightDefinition {
  label: string;
  /** What it means, for an artist who has never read a glossary. */
  plain: string;
  /** How it is computed, exactly. */
  exact: string;
}

export const INSIGHTS = {
  reach_drivers: {
    label: 'What drives your reach',
    plain: 'Why your streams from recommendations went up or down: were you shown more often, or did more people press play?',
    exact:
      'Algorithmic streams A = impressions I × conversion (A ÷ I), per surface and per track, compared between two periods. ' +
      'Each row’s change A₁ − A₀ is split by log shares (LMDI): the impressions part is L(A₁, A₀) · ln(I₁ ÷ I₀) and the conversion ' +
      'part L(A₁, A₀) · ln(c₁ ÷ c₀), with L(x, y) = (x − y) ÷ (ln x − ln y); the parts of all rows add up to the total change. ' +
      'A row with no impressions in one period puts its whole change on impressions; a row with impressions in both periods but ' +
      'no algorithmic stream in one puts it on conversion; streams with no impression in either period (a source = algorithmic play ' +
      'with no served list) are unattributed.',
  },
  completion: {
    label: 'Completion',
    plain: 'Of the streams, how many were played to the end.',
    exact:
      'completions ÷ streams (a completion reaches ≥ 90 % of the track). Reported beside the reach drivers: it does not change how ' +
      'many streams there were, it is the third factor of finished algorithmic streams ≈ I × conversion × completion.',
  },
  alert: {
    label: 'Alert',
    plain: 'A day that was unusual for you: far outside what your own last four weeks looked like.',
    exact:
      'For each metric of ALERT_METRICS, a UTC day whose value lies outside median ± 3 × 1.4826 × MAD of the 28 days before it ' +
      '(MAD: the median absolute deviation from that median) and differs from the median by at least the metric’s minimum ' +
      'change; no alert before the artist has 14 days with streams among the 28.',
  },
  release_benchmark: {
    label: 'Release benchmark',
    plain: 'How a new track’s first day and first week compare with how your releases usually start.',
    exact:
      'Cumulative streams of the track per hour of its first 24 h and per day of its first 7 days, counted from its release ' +
      '(release_date 00:00 UTC, or the first day it was streamed when it has none), against the median at each point over the ' +
      'artist’s other tracks released before it whose window has ended (the 20 most recent). Hours read the raw events, so ' +
      'they exist only while the first 24 h lie in the hot window (EVENTS_HOT_DAYS).',
  },
  countries: {
    label: 'Countries',
    plain: 'Where your listeners are.',
    exact:
      'Listeners (≥ 1 stream in the period) and their streams by the listener’s country (users.country, ISO 3166-1); unknown when not sent.',
  },
  segment_super: {
    label: 'Super listeners',
    plain: 'Your most devoted listeners: they play your songs to the end again and again, and save them.',
    exact: `Listeners of the period with ≥ ${TIERS.superMinCompletions} completions and ≥ ${TIERS.superMinNetSaves} net save (the super tier).`,
  },
  segment_moderate: {
    label: 'Moderate listeners',
    plain: 'Listeners who come back to you regularly.',
    exact: `Listeners of the period who are not super and have ≥ ${TIERS.engagedMinStreams} streams (the engaged tier).`,
  },
  segment_light: {
    label: 'Light listeners',
    plain: 'Listeners who played you once or twice.',
    exact: `Listeners of the period with fewer than ${TIERS.engagedMinStreams} streams who are not super.`,
  },
  segment_previously_active: {
    label: 'Previously active',
    plain: 'People who listened to you in the past year but not in this period.',
    exact: 'Users with ≥ 1 stream of the artist in the 365 days before the period and none in it; they have no streams in the period.',
  },
  segment_programmed: {
    label: 'Programmed listeners',
    plain: 'Listeners who only found you through recommendations or editorial playlists, never on their own.',
    exact:
      'Listeners of the period all of whose streams of the artist carry a rec_id or have source algorithmic or editorial. Read from ' +
      'the raw events, so only the part of the period inside the hot window (EVENTS_HOT_DAYS) counts.',
  },
  funnel: {
    label: 'Listener → saver → repeat listener',
    plain: 'How many of your listeners saved a song, and how many of those kept coming back.',
    exact:
      'Listeners: ≥ 1 stream in the period. Savers: listeners with ≥ 1 save event of the artist in the period. Repeat listeners: ' +
      'savers who streamed the artist on ≥ 2 different UTC days of the period. Each step’s rate is its count ÷ the step before.',
  },
  track_timeline: {
    label: 'Track timeline',
    plain: 'One song, day by day.',
    exact:
      'Per UTC day: streams, plays started, counted skips, skip rate, completions and net saves of one track (definitions of METRICS).',
  },
} as const satisfies Record<string, InsightDefinition>;

export type InsightName = keyof typeof INSIGHTS;

/**
 * The metrics an alert watches, each with the smallest distance from the median that may alert, so a
 * quiet artist's 0 → 4 streams is not news. Skip rate only counts on days with `minPlaysStarted`.
 */
export const ALERT_METRICS = {
  streams: { label: 'Streams', minChange: 25, plain: 'streams' },
  skip_rate: { label: 'Skip rate', minChange: 0.1, plain: 'skip rate', minPlaysStarted: 30 },
  saves: { label: 'Saves (net)', minChange: 5, plain: 'saves' },
  algorithmic_reach: { label: 'Algorithmic reach', minChange: 25, plain: 'people reached by recommendations' },
} as const;
export type AlertMetric = keyof typeof ALERT_METRICS;
export const ALERT_METRIC_NAMES = Object.keys(ALERT_METRICS) as AlertMetric[];

/** The band of an alert: baseline days, its width in scaled MADs, and the days of history it needs. */
export const ALERT_BAND = { baselineDays: 28, width: 3, madScale: 1.4826, minActiveDays: 14 } as const;

/** Benchmark windows: hours of the first day, days of the first week, and how many earlier releases make "typical". */
export const BENCHMARK = { hours: 24, days: 7, maxReleases: 20 } as const;
/** Days before the period that "previously active" looks back over. */
export const PREVIOUSLY_ACTIVE_DAYS = 365;
