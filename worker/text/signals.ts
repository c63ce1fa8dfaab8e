/**
 * What a text says about one linked entity: the sentiment of the sentences that mention it and the
 * descriptive terms used in them, as candidate tags with a weight. Pure.
 */
import type { TextAnalysis } from './analyse.ts';
import type { Mention } from './link.ts';

export interface EntitySignals {
  /** Mean sentiment of the sentences holding a mention; the text's when none is found. */
  sentiment: number;
  /** weight = the term's share of the descriptive terms in those sentences, so a text's weights sum to 1. */
  tags: { tag: string; weight: number }[];
}

/**
 * Sentiment and candidate tags for one mention.
 *
 * @example entitySignals({ sentiment: 0.5, sentences: [{ start: 0, end: 20, sentiment: 0.5 }], terms: [{ term: 'dreamy', start: 2 }] }, mention)
 * // { sentiment: 0.5, tags: [{ tag: 'dreamy', weight: 1 }] }
 */
export function entitySignals(analysis: TextAnalysis, mention: Pick<Mention, 'spans'>): EntitySignals {
  const held = analysis.sentences.filter((s) => mention.spans.some(([start]) => start >= s.start && start < s.end));
  const sentiment = held.length === 0 ? analysis.sentiment : held.reduce((sum, s) => sum + s.sentiment, 0) / held.length;
  const counts = new Map<string, number>();
  for (const t of analysis.terms) {
    if (held.some((s) => t.start >= s.start && t.start < s.end)) counts.set(t.term, (counts.get(t.term) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const tags = [...counts]
    .map(([tag, n]) => ({ tag, weight: n / total }))
    .sort((a, b) => b.weight - a.weight || a.tag.localeCompare(b.tag));
  return { sentiment, tags };
}
