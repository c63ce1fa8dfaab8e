/**
 * Chart and card hints: one line in plain language, with the exact definition one click away. The
 * exact definitions are the ones the API computes with (worker/analytics/definitions.ts); the plain
 * lines of the older metrics are the dashboard's own words for them, and insights bring their own.
 */
import { BREAKDOWNS, INSIGHTS, type InsightName, METRICS, type MetricName } from '../../../worker/analytics/definitions.ts';

export interface Hint {
  /** What it means, for someone who has never read a glossary. */
  plain: string;
  /** How it is computed, exactly. */
  exact: string;
}

export type BreakdownName = keyof typeof BREAKDOWNS;

const PLAIN_METRICS: Record<MetricName, string> = {
  streams: 'Plays of at least 30 seconds.',
  listeners: 'People who streamed you at least once.',
  plays_started: 'Times someone pressed play.',
  completion_rate: 'How often a play reached the end of the song.',
  skip_rate: 'How often a play was skipped within the first 30 seconds.',
  saves: 'Times people saved your songs, minus the times they removed them.',
  saves_per_1000_streams: 'Saves for every thousand streams.',
  playlist_adds: 'Times people put your songs on their own playlists, minus removals.',
  playlist_adds_per_1000_streams: 'Playlist adds for every thousand streams.',
  algorithmic_impressions: 'Times the recommender showed one of your songs in a list.',
  algorithmic_reach: 'People the recommender showed your music to.',
  algorithmic_streams: 'Streams that came from recommendations.',
  conversion: 'Of the times the recommender showed your song, how often people played it.',
};

const PLAIN_BREAKDOWNS: Record<BreakdownName, string> = {
  source_mix: 'Where your streams came from: recommendations, search, people’s own library or playlists.',
  skip_position: 'How far into the song people skipped.',
  listening_clock: 'When in the week people listen to you.',
  new_vs_returning: 'People hearing you for the first time against people who came back.',
  engagement_tiers: 'How devoted your listeners are.',
};

/** @example metricHint('streams') // { plain: 'Plays of at least 30 seconds.', exact: 'plays (play_end or skip) with ms_played ≥ 30 000' } */
export function metricHint(name: MetricName): Hint {
  return { plain: PLAIN_METRICS[name], exact: METRICS[name].formula };
}

export function breakdownHint(name: BreakdownName): Hint {
  return { plain: PLAIN_BREAKDOWNS[name], exact: BREAKDOWNS[name].formula };
}

export function insightHint(name: InsightName): Hint {
  return { plain: INSIGHTS[name].plain, exact: INSIGHTS[name].exact };
}

export function insightLabel(name: InsightName): string {
  return INSIGHTS[name].label;
}

/**
 * One hint for a chart of several metrics: the plain lines one after the other, the exact
 * definitions each under its metric's name.
 * @example metricsHint('streams', 'listeners').exact // 'Streams: plays (…) … Listeners: distinct users …'
 */
export function metricsHint(...names: MetricName[]): Hint {
  return {
    plain: names.map((n) => PLAIN_METRICS[n]).join(' '),
    exact: names.map((n) => `${METRICS[n].label}: ${METRICS[n].formula}.`).join(' '),
  };
}
