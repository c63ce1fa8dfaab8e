/**
 * Turns validated texts into the rows text ingest stores: the text with its sentiment, one row per
 * linked artist or track, and the descriptive terms used about each.
 */
import { DAY_MS } from '../../contract/events.ts';
import type { MentionRow, TextRow, TextTagRow } from '../db/texts.ts';
import type { TextInput } from '../schemas/texts.ts';
import { analyseText } from './analyse.ts';
import { type LinkIndex, linkedText, linkMentions } from './link.ts';
import { entitySignals } from './signals.ts';

/** Mentions the linker is less sure of than this are not stored (logistic(0.4) ≈ 0.6). */
export const MIN_CONFIDENCE = 0.6;
/** Terms kept per text and entity. */
const MAX_TAGS = 8;

/**
 * Links, analyses and shapes a batch of texts.
 *
 * @example await textRows(buildLinkIndex(catalogue), [text]) // { texts: [...], mentions: [...], tags: [...] }
 */
export async function textRows(
  index: LinkIndex,
  batch: readonly TextInput[],
): Promise<{ texts: TextRow[]; mentions: MentionRow[]; tags: TextTagRow[] }> {
  const texts: TextRow[] = [];
  const mentions: MentionRow[] = [];
  const tags: TextTagRow[] = [];
  for (const t of batch) {
    const day = Math.floor(t.published_at / DAY_MS);
    const analysis = await analyseText(linkedText(t));
    texts.push({
      id: t.id,
      url: t.url,
      source: t.source,
      title: t.title,
      body: t.body,
      publishedAt: t.published_at,
      day,
      sentiment: analysis.sentiment,
    });
    for (const m of linkMentions(index, t)) {
      if (m.confidence < MIN_CONFIDENCE) continue;
      const signals = entitySignals(analysis, m);
      const key = { textId: t.id, entityKind: m.kind, entityId: m.id };
      mentions.push({
        ...key,
        artistId: m.artistId,
        day,
        occurrences: m.occurrences,
        confidence: m.confidence,
        sentiment: signals.sentiment,
      });
      for (const g of signals.tags.slice(0, MAX_TAGS)) tags.push({ ...key, tag: g.tag, weight: g.weight });
    }
  }
  return { texts, mentions, tags };
}
