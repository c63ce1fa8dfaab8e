/**
 * Trend signals per artist and day from text mentions. Pure.
 *
 * velocity(d) = (x_d − μ) ÷ max(σ, 1), where x_d is the number of texts mentioning the artist (or a
 * track of theirs) published on day d, and μ and σ the mean and population standard deviation of the
 * same count over the 28 days before d (d − 28 … d − 1, days without texts counting 0). The floor of
 * 1 on σ keeps a quiet artist's first mention from reading as an infinite spike: from a flat zero
 * baseline one text is a velocity of 1, five texts of 5.
 */

export const BASELINE_DAYS = 28;
export const MIN_BASELINE_SD = 1;

export interface DayCount {
  day: number;
  mentions: number;
  /** Sum of the mentions' sentiment, for the day's mean. */
  sentimentSum: number;
}

export interface BuzzDay {
  day: number;
  mentions: number;
  velocity: number;
  /** Mean sentiment of the day's mentions; null on a day without any. */
  sentiment: number | null;
}

/**
 * The daily series from `from` to `to` (epoch days), given counts from `from − 28` on (missing days are 0).
 *
 * @example buzzSeries([{ day: 100, mentions: 3, sentimentSum: 1.5 }], 100, 100) // [{ day: 100, mentions: 3, velocity: 3, sentiment: 0.5 }]
 */
export function buzzSeries(counts: readonly DayCount[], from: number, to: number): BuzzDay[] {
  const byDay = new Map(counts.map((c) => [c.day, c]));
  const x = (d: number) => byDay.get(d)?.mentions ?? 0;
  const out: BuzzDay[] = [];
  for (let d = from; d <= to; d += 1) {
    let sum = 0;
    let sq = 0;
    for (let b = d - BASELINE_DAYS; b < d; b += 1) {
      sum += x(b);
      sq += x(b) * x(b);
    }
    const mean = sum / BASELINE_DAYS;
    const sd = Math.sqrt(Math.max(0, sq / BASELINE_DAYS - mean * mean));
    const today = byDay.get(d);
    out.push({
      day: d,
      mentions: x(d),
      velocity: (x(d) - mean) / Math.max(sd, MIN_BASELINE_SD),
      sentiment: today && today.mentions > 0 ? today.sentimentSum / today.mentions : null,
    });
  }
  return out;
}
