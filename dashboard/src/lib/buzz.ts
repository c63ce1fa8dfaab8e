/**
 * Shapes an artist's buzz (GET /v1/artists/{id}/buzz) for the Press & buzz panel. Pure: no chart.js,
 * no DOM. The velocity formula is the API's (worker/text/buzz.ts, quoted in the hint).
 */
import type { Hint } from './hints.ts';

/** A day whose velocity reaches this many standard deviations above the artist's last 28 days is a spike. */
export const SPIKE_VELOCITY = 3;

interface Day {
  date: string;
  mentions: number;
  velocity: number;
  sentiment: number | null;
}

/**
 * The panel's hint. The buzz endpoint has no entry in worker/analytics/definitions.ts yet, so the
 * exact wording follows its OpenAPI description.
 */
export const BUZZ_HINT: Hint = {
  plain: 'How much articles, blogs and reviews talk about you and your tracks, whether that is more than usual for you, and in what tone.',
  exact:
    'Mentions: texts published that UTC day that name you or one of your tracks. Velocity = (mentions − mean of the 28 days before) ÷ ' +
    `max(standard deviation of those days, 1); a day at ${SPIKE_VELOCITY} or more is marked as a spike. Sentiment: the mean, from −1 ` +
    '(negative) to 1 (positive), of the sentences that mention you (wink-nlp). Top terms: the descriptive words used in those ' +
    'sentences, weighted by their share of each text.',
};

/** No mention and no article in the period: the panel says how press gets in. */
export function isQuiet(b: { days: readonly Day[]; articles: readonly unknown[] }): boolean {
  return b.articles.length === 0 && b.days.every((d) => d.mentions === 0);
}

/**
 * Sentiment (−1..1) in a word.
 * @example sentimentWord(0.6) // 'very positive'; sentimentWord(-0.2) // 'negative'; sentimentWord(0.05) // 'neutral'
 */
export function sentimentWord(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return 'no reading';
  if (s >= 0.5) return 'very positive';
  if (s > 0.1) return 'positive';
  if (s >= -0.1) return 'neutral';
  if (s > -0.5) return 'negative';
  return 'very negative';
}

/**
 * Sentiment with its sign and two decimals (a true minus sign).
 * @example formatSentiment(0.4213) // '+0.42'; formatSentiment(-0.3) // '−0.30'
 */
export function formatSentiment(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  const v = Math.round(s * 100) / 100;
  if (v === 0) return '0.00';
  return `${v > 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;
}

/** Velocity with one decimal and its sign. @example formatVelocity(4.26) // '+4.3' */
export function formatVelocity(v: number): string {
  const r = Math.round(v * 10) / 10;
  return r === 0 ? '0.0' : `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(1)}`;
}

export interface Spike {
  from: string;
  to: string;
  /** Mentions over the spike's days. */
  mentions: number;
  /** The highest velocity among them. */
  peak: number;
}

/**
 * Runs of consecutive spike days (velocity ≥ SPIKE_VELOCITY), the strongest first.
 * @example spikes([{ date: '2026-11-02', mentions: 6, velocity: 5, sentiment: 0.3 }]) // [{ from: '2026-11-02', to: '2026-11-02', mentions: 6, peak: 5 }]
 */
export function spikes(days: readonly Day[]): Spike[] {
  const out: Spike[] = [];
  let run: Spike | null = null;
  for (const d of days) {
    if (d.velocity >= SPIKE_VELOCITY && d.mentions > 0) {
      if (run) {
        run.to = d.date;
        run.mentions += d.mentions;
        run.peak = Math.max(run.peak, d.velocity);
      } else {
        run = { from: d.date, to: d.date, mentions: d.mentions, peak: d.velocity };
        out.push(run);
      }
    } else {
      run = null;
    }
  }
  return out.sort((a, b) => b.peak - a.peak || a.from.localeCompare(b.from));
}

/**
 * Mean sentiment over the period, each day weighted by its mentions; null without any.
 * @example meanSentiment([{ date: 'd', mentions: 3, velocity: 0, sentiment: 0.5 }, { date: 'e', mentions: 1, velocity: 0, sentiment: -0.5 }]) // 0.25
 */
export function meanSentiment(days: readonly Day[]): number | null {
  let n = 0;
  let sum = 0;
  for (const d of days) {
    if (d.sentiment === null || d.mentions === 0) continue;
    n += d.mentions;
    sum += d.sentiment * d.mentions;
  }
  return n === 0 ? null : sum / n;
}
