import { describe, expect, it } from 'vitest';
import { buzzSeries } from '../../../worker/text/buzz.ts';
import { evaluateLinker, parseLabelled } from '../../../worker/text/evaluate.ts';
import { generateArticles } from '../../../worker/text/generate.ts';
import { buildLinkIndex, type LinkCatalogue, linkMentions } from '../../../worker/text/link.ts';
import catalogueJson from '../../fixtures/text/catalogue.json';
import labelledJsonl from '../../fixtures/text/labelled.jsonl?raw';

const catalogue = catalogueJson as LinkCatalogue;
const index = buildLinkIndex(catalogue);
const linked = (title: string, body: string) =>
  linkMentions(index, { title, body })
    .map((m) => `${m.kind}:${m.id}`)
    .sort();

describe('linkMentions', () => {
  it('Should link an artist with a common-word name and its quoted track', () => {
    expect(linked('Weekly roundup', 'Nova’s new single "Home" is out now.')).toEqual(['artist:a-nova', 'track:t-nova-home']);
  });

  it('Should not link common words in their ordinary sense', () => {
    expect(linked('Stargazing', 'A nova may be visible tonight. Head home early and look east.')).toEqual([]);
  });

  it('Should not link a name inside a longer proper name', () => {
    expect(linked('Travel', 'We spent a week in Nova Scotia.')).toEqual([]);
  });

  it('Should pick the track of the artist named beside a shared title', () => {
    expect(linked('Live', 'Velvet Harbour closed with Home, and the room sang.')).toEqual(['artist:a-velvet', 'track:t-velvet-home']);
  });

  it('Should leave a title two artists share unlinked when neither artist is mentioned', () => {
    expect(linked('Notes', 'Everyone is talking about Night Drive this month.')).toEqual([]);
  });

  it('Should give the offsets of each accepted occurrence in title and body', () => {
    const [m] = linkMentions(index, { title: 'Kite', body: 'The producer Kite is back.' });
    expect(m).toMatchObject({
      kind: 'artist',
      id: 'a-kite',
      occurrences: 2,
      spans: [
        [0, 4],
        [19, 23],
      ],
    });
  });
});

describe('linker quality', () => {
  it('Should keep precision and recall above their floors on the hand-labelled fixture', () => {
    const score = evaluateLinker(catalogue, parseLabelled(labelledJsonl));
    expect(score.texts).toBeGreaterThanOrEqual(40);
    // 2026-12 figures: precision 0.96, recall 0.96 (npm run eval:linker).
    expect(score.precision).toBeGreaterThanOrEqual(0.9);
    expect(score.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('Should keep precision and recall above their floors on generated articles with traps (seed 7)', () => {
    const articles = generateArticles(catalogue, 300, 7);
    expect(generateArticles(catalogue, 300, 7)).toEqual(articles);
    const score = evaluateLinker(catalogue, articles);
    // 2026-12 figures: precision 0.995, recall 0.962.
    expect(score.precision).toBeGreaterThanOrEqual(0.97);
    expect(score.recall).toBeGreaterThanOrEqual(0.92);
  });
});

describe('buzzSeries', () => {
  it('Should score a day against the 28 days before it, with the deviation floored at 1', () => {
    // 28 quiet days of 2 mentions (σ = 0, floored to 1), then 5: velocity (5 − 2) ÷ 1 = 3.
    const counts = Array.from({ length: 28 }, (_, i) => ({ day: 100 + i, mentions: 2, sentimentSum: 0 }));
    const [day] = buzzSeries([...counts, { day: 128, mentions: 5, sentimentSum: 2.5 }], 128, 128);
    expect(day).toEqual({ day: 128, mentions: 5, velocity: 3, sentiment: 0.5 });
  });

  it('Should use the baseline’s own deviation when it is above the floor', () => {
    // Alternating 0 and 4: mean 2, σ 2; a day of 8 is (8 − 2) ÷ 2 = 3.
    const counts = Array.from({ length: 28 }, (_, i) => ({ day: i, mentions: i % 2 === 0 ? 0 : 4, sentimentSum: 0 }));
    const [day] = buzzSeries([...counts, { day: 28, mentions: 8, sentimentSum: 0 }], 28, 28);
    expect(day?.velocity).toBeCloseTo(3, 10);
    expect(buzzSeries(counts, 29, 29)[0]).toMatchObject({ mentions: 0, sentiment: null });
  });
});
