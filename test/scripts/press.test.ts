/**
 * The demo world's press (scripts/demo/press.ts): deterministic by seed, texts the ingest API takes,
 * linked by the Worker's own linker to the artist they are about, tones that read as varied, and a
 * spike the buzz endpoint's own velocity formula sees.
 */
import { describe, expect, it } from 'vitest';
import { generatePress, SPIKE_DAYS } from '../../scripts/demo/press.ts';
import { chunks } from '../../scripts/demo/send-batches.ts';
import { generateWorld } from '../../scripts/demo/world.ts';
import { TextBatchSchema } from '../../worker/schemas/texts.ts';
import { analyseText } from '../../worker/text/analyse.ts';
import { buzzSeries } from '../../worker/text/buzz.ts';
import { buildLinkIndex, linkMentions } from '../../worker/text/link.ts';

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 24, 15);
const world = generateWorld({ seed: 'press-test', artists: 200, tracksPerArtist: 5, users: 10, days: 120, end: END });
const options = { seed: world.config.seed, start: world.start, end: END };
const press = generatePress(world, options);

describe('demo press', () => {
  it('Should generate the same articles from the same seed and different ones from another', () => {
    expect(generatePress(world, options)).toEqual(press);
    const other = generatePress(world, { ...options, seed: 'another' });
    expect(other.texts.map((t) => t.body)).not.toEqual(press.texts.map((t) => t.body));
  });

  it('Should write a few hundred texts over the history that POST /v1/texts accepts in batches of 100', () => {
    expect(press.texts.length).toBeGreaterThan(250);
    expect(press.texts.length).toBeLessThan(600);
    expect(new Set(press.texts.map((t) => t.id)).size).toBe(press.texts.length);
    for (const t of press.texts) {
      expect(t.published_at).toBeGreaterThanOrEqual(world.start);
      expect(t.published_at).toBeLessThanOrEqual(END);
    }
    for (const batch of chunks(press.texts, 100)) {
      const parsed = TextBatchSchema.safeParse({ texts: batch });
      expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    }
  });

  it('Should write texts the linker links to the artist they are about, often with one of their tracks', () => {
    const index = buildLinkIndex({
      artists: world.artists,
      tracks: world.tracks.map((t) => ({ id: t.id, title: t.title, artistId: t.artist.id })),
    });
    let linked = 0;
    let withTrack = 0;
    press.texts.forEach((t, i) => {
      const mentions = linkMentions(index, t);
      if (mentions.some((m) => m.kind === 'artist' && m.id === press.about[i])) linked++;
      if (mentions.some((m) => m.kind === 'track' && m.artistId === press.about[i])) withTrack++;
    });
    expect(linked / press.texts.length).toBeGreaterThan(0.85);
    expect(withTrack / press.texts.length).toBeGreaterThan(0.3);
  });

  it('Should vary the tone: wink-nlp reads some texts as positive and some as negative', async () => {
    const sample = press.texts.slice(0, 120);
    const sentiments = await Promise.all(sample.map(async (t) => (await analyseText(`${t.title}\n\n${t.body}`)).sentiment));
    expect(sentiments.filter((s) => s > 0.1).length / sample.length).toBeGreaterThan(0.25);
    expect(sentiments.filter((s) => s < -0.1).length / sample.length).toBeGreaterThan(0.15);
  });

  it('Should give a handful of artists a spike of several times their usual volume, the first ending yesterday', () => {
    expect(press.spikes.length).toBeGreaterThanOrEqual(4);
    const lastDay = Math.floor(END / DAY);
    expect(Math.floor(press.spikes[0]!.from / DAY)).toBe(lastDay - SPIKE_DAYS);
    for (const spike of press.spikes) {
      const perDay = new Map<number, number>();
      press.texts.forEach((t, i) => {
        if (press.about[i] !== spike.artistId) return;
        const d = Math.floor(t.published_at / DAY);
        perDay.set(d, (perDay.get(d) ?? 0) + 1);
      });
      const first = Math.floor(spike.from / DAY);
      const counts = [...perDay].map(([day, mentions]) => ({ day, mentions, sentimentSum: 0 }));
      const series = buzzSeries(counts, first, first + SPIKE_DAYS - 1);
      const spikeTexts = series.reduce((s, d) => s + d.mentions, 0);
      let usual = 0;
      for (let d = first - 28; d < first; d++) usual += perDay.get(d) ?? 0;
      expect(spikeTexts / SPIKE_DAYS, spike.artistName).toBeGreaterThan(3 * (usual / 28));
      // The buzz endpoint's velocity marks the spike's first day.
      expect(series[0]!.velocity, spike.artistName).toBeGreaterThanOrEqual(2);
    }
  });
});
