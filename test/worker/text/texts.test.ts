import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, mintKey } from '../helpers.ts';

const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY);
const iso = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
/** Noon UTC of an epoch day. */
const at = (day: number) => new Date(day * DAY + 12 * 3_600_000).toISOString();

interface IngestResult {
  accepted: number;
  stored: number;
  duplicates: number;
  mentions: number;
  rejected: { index: number; id: string | null; errors: { path: string; code: string }[] }[];
}
interface Buzz {
  days: { date: string; mentions: number; velocity: number; sentiment: number | null }[];
  articles: { id: string; mentions: number; sentiment: number; tracks: string[] }[];
  terms: { term: string; weight: number; texts: number }[];
}

const text = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  url: `https://example.com/${id}`,
  published_at: at(today - 1),
  title: 'Weekly roundup',
  body: 'Nothing about music here.',
  source: 'Example Weekly',
  ...extra,
});

beforeAll(async () => {
  const res = await api('/v1/tracks', {
    method: 'PUT',
    body: {
      tracks: [
        { id: 'tx-home', title: 'Home', artist: { id: 'tx-nova', name: 'Nova' }, duration_ms: 200_000 },
        { id: 'tx-wires', title: 'Wires', artist: { id: 'tx-kite', name: 'Kite' }, duration_ms: 200_000 },
      ],
    },
  });
  if (res.status !== 200) throw new Error(`catalogue upload failed: ${res.status} ${await res.text()}`);
});

describe('POST /v1/texts', () => {
  it('Should link mentions, read sentiment and terms with wink-nlp inside workerd, and store them', async () => {
    const app = await mintKey('app');
    const body = 'Nova’s new single "Home" is a dreamy, gorgeous piece of lo-fi pop. Astronomers saw a nova last week.';
    const res = await api('/v1/texts', { key: app, body: { texts: [text('tx-1', { body })] } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, stored: 1, duplicates: 0, mentions: 2, rejected: [] });
    const mentions = await env.DB.prepare(
      "SELECT entity_kind, entity_id, artist_id, occurrences, sentiment FROM text_mentions WHERE text_id = 'tx-1' ORDER BY entity_kind",
    ).all<{ entity_kind: string; entity_id: string; artist_id: string; occurrences: number; sentiment: number }>();
    expect(mentions.results.map((m) => [m.entity_kind, m.entity_id, m.artist_id, m.occurrences])).toEqual([
      ['artist', 'tx-nova', 'tx-nova', 1],
      ['track', 'tx-home', 'tx-nova', 1],
    ]);
    expect(mentions.results[0]?.sentiment).toBeGreaterThan(0);
    const tags = await env.DB.prepare("SELECT tag, source, weight FROM text_tags WHERE text_id = 'tx-1' AND entity_id = 'tx-home'").all<{
      tag: string;
      source: string;
      weight: number;
    }>();
    expect(tags.results.map((t) => t.tag)).toEqual(expect.arrayContaining(['dreamy', 'lo-fi']));
    expect(tags.results.every((t) => t.source === 'text')).toBe(true);
    expect(tags.results.reduce((s, t) => s + t.weight, 0)).toBeCloseTo(1, 6);
  });

  it('Should store a resent id once and count it as a duplicate', async () => {
    const batch = [text('tx-dup', { body: 'Kite shared Wires, a hypnotic track.' })];
    const first = (await (await api('/v1/texts', { body: { texts: batch } })).json()) as IngestResult;
    expect(first).toMatchObject({ stored: 1, mentions: 2 });
    const again = await api('/v1/texts', { body: { texts: [...batch, batch[0]] } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ accepted: 2, stored: 0, duplicates: 2, mentions: 0 });
    const n = await env.DB.prepare("SELECT count(*) AS n FROM text_mentions WHERE text_id = 'tx-dup'").first<{ n: number }>();
    expect(n?.n).toBe(2);
  });

  it('Should reject an invalid text with its code and field path, and store the others (207)', async () => {
    const res = await api('/v1/texts', {
      body: { texts: [text('tx-ok'), text('tx-bad', { url: 'ftp://x', body: 'x'.repeat(20_001) }), { id: 'tx-extra', colour: 1 }] },
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as IngestResult;
    expect(body).toMatchObject({ accepted: 1, stored: 1 });
    expect(body.rejected.map((r) => [r.index, r.id])).toEqual([
      [1, 'tx-bad'],
      [2, 'tx-extra'],
    ]);
    expect(body.rejected[0]?.errors.map((e) => e.path).sort()).toEqual(['texts[1].body', 'texts[1].url']);
    expect(body.rejected[0]?.errors.find((e) => e.path === 'texts[1].body')?.code).toBe('too_big');
    expect(body.rejected[1]?.errors.map((e) => e.code)).toContain('unrecognized_keys');
  });

  it('Should answer 400 in the error envelope for a batch over 100 texts or without the array', async () => {
    const big = await api('/v1/texts', { body: { texts: Array.from({ length: 101 }, (_, i) => text(`tx-big-${i}`)) } });
    expect(big.status).toBe(400);
    expect(((await big.json()) as ErrorEnvelope).error).toMatchObject({
      code: 'invalid_batch_size',
      details: { issues: [{ path: 'texts' }] },
    });
    const missing = await api('/v1/texts', { body: { articles: [] } });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ErrorEnvelope).error.code).toBe('invalid_request');
  });

  it('Should answer 422 when no text is valid, and 403 to an artist key', async () => {
    const none = await api('/v1/texts', { body: { texts: [text('tx-future', { published_at: at(today + 3) })] } });
    expect(none.status).toBe(422);
    expect(((await none.json()) as ErrorEnvelope).error.code).toBe('all_texts_rejected');
    const artist = await mintKey('artist', ['tx-nova']);
    expect((await api('/v1/texts', { key: artist, body: { texts: [text('tx-artist')] } })).status).toBe(403);
  });
});

describe('GET /v1/artists/:id/buzz', () => {
  beforeAll(async () => {
    // A quiet baseline (one text every 7th day over the 28 days before yesterday), then a spike of 4 yesterday.
    const baseline = [7, 14, 21, 28].map((back) =>
      text(`bz-base-${back}`, { published_at: at(today - 1 - back), body: 'Kite played Wires.' }),
    );
    const spike = [1, 2, 3, 4].map((i) =>
      text(`bz-spike-${i}`, {
        published_at: at(today - 1),
        body: `Kite is back. Wires is a wonderful, icy track.${' Kite rules.'.repeat(i)}`,
      }),
    );
    const res = await api('/v1/texts', { body: { texts: [...baseline, ...spike] } });
    if (res.status !== 200) throw new Error(`seeding texts failed: ${res.status} ${await res.text()}`);
  });

  it('Should return the daily series with velocity against the baseline, top articles and terms', async () => {
    const key = await mintKey('artist', ['tx-kite']);
    const res = await api(`/v1/artists/tx-kite/buzz?from=${iso(today - 2)}&to=${iso(today - 1)}`, { key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Buzz;
    // The spike day holds the 4 spike texts and tx-dup (Kite, also published yesterday).
    const [before, spike] = body.days;
    expect(before).toMatchObject({ date: iso(today - 2), mentions: 0, sentiment: null });
    expect(spike?.date).toBe(iso(today - 1));
    expect(spike?.mentions).toBe(5);
    // 28 days holding 4 ones: mean 1/7, σ = √(1/7 − 1/49) ≈ 0.35 → floored to 1; velocity = 5 − 1/7.
    expect(spike?.velocity).toBeCloseTo(5 - 1 / 7, 6);
    expect(spike?.sentiment).toBeGreaterThan(0);
    expect(body.articles[0]).toMatchObject({ id: 'bz-spike-4', tracks: ['tx-wires'] });
    expect(body.articles[0]?.mentions).toBeGreaterThan(body.articles[1]?.mentions ?? 0);
    expect(body.terms.map((t) => t.term)).toContain('icy');
  });

  it('Should answer a foreign artist exactly as a missing one, and 404 to an unbound key for a missing artist', async () => {
    const key = await mintKey('marketer', ['tx-nova']);
    const foreign = await api('/v1/artists/tx-kite/buzz', { key });
    const missing = await api('/v1/artists/no-such-artist/buzz', { key });
    expect(foreign.status).toBe(missing.status);
    const strip = (e: ErrorEnvelope) => ({ ...e.error, message: e.error.message.replace(/tx-kite|no-such-artist/, 'X') });
    expect(strip((await foreign.json()) as ErrorEnvelope)).toEqual(strip((await missing.json()) as ErrorEnvelope));
    const admin = await api('/v1/artists/no-such-artist/buzz');
    expect(admin.status).toBe(404);
    expect(((await admin.json()) as ErrorEnvelope).error.code).toBe('artist_not_found');
  });

  it('Should refuse app keys and a bad range with 400 naming the parameter', async () => {
    const app = await mintKey('app');
    expect((await api('/v1/artists/tx-kite/buzz', { key: app })).status).toBe(403);
    const bad = await api(`/v1/artists/tx-kite/buzz?from=${iso(today)}&to=${iso(today - 3)}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorEnvelope).error.details?.issues?.[0]?.path).toBe('query.from');
  });
});
