import { createRoute, type z } from '@hono/zod-openapi';
import { dayToIso } from '../analytics/period.ts';
import { resolveRange } from '../analytics/range.ts';
import { allow, openArtist } from '../auth/scope.ts';
import { createDb } from '../db/client.ts';
import { catalogueForLinking, insertTexts, mentionsByDay, termsOfArtist, topArticles } from '../db/texts.ts';
import { errorResponse } from '../schemas/error.ts';
import {
  ArtistParams,
  BuzzQuery,
  BuzzSchema,
  MAX_TEXTS_PER_BATCH,
  TextBatchSchema,
  TextIngestResultSchema,
  TextSchema,
} from '../schemas/texts.ts';
import { BASELINE_DAYS, buzzSeries } from '../text/buzz.ts';
import { textRows } from '../text/ingest.ts';
import { buildLinkIndex } from '../text/link.ts';
import { batchResponses, batchStatus, readBatch } from './batch.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

/** Text ingest (`POST /v1/texts`), mounted at /v1/texts. */
export const texts = newRouter();

const ingestRoute = createRoute({
  ...allow('app', 'admin'),
  method: 'post',
  path: '/',
  operationId: 'ingestTexts',
  tags: ['Texts'],
  summary: 'Send a batch of articles, blog posts and reviews',
  description:
    `Up to ${MAX_TEXTS_PER_BATCH} texts and 1 MB per request; a title holds at most 500 characters, a body 20 000. ` +
    'Each text is validated on its own (207 when some are rejected, 422 when none is valid). A resent id is stored once and ' +
    'left as first stored. Stored texts are linked to catalogue artists and tracks by name, and their sentiment and descriptive ' +
    'terms are read at once: a 2xx means the texts, their mentions and their terms are durably stored.',
  security: bearerAuth,
  request: { body: { content: { 'application/json': { schema: TextBatchSchema } }, required: true } },
  responses: batchResponses(TextIngestResultSchema, 'text', 'texts'),
});

// Documented with the strict batch schema, validated text by text (as POST /v1/events): the role gate
// runs in front of the plain handler; the document gets the rest (with its x-roles).
const { middleware: gate, ...documented } = ingestRoute;
texts.openAPIRegistry.registerPath(documented);

texts.post('/', ...gate, async (c) => {
  const { valid, rejected } = await readBatch(c, {
    field: 'texts',
    max: MAX_TEXTS_PER_BATCH,
    schema: TextSchema,
    idKey: 'id',
    noun: 'text',
  });
  const db = createDb(c.env.DB);
  const rows = await textRows(buildLinkIndex(await catalogueForLinking(db)), valid);
  const { stored, mentions } = await insertTexts(db, { ...rows, now: Date.now() });
  return c.json({ accepted: valid.length, stored, duplicates: valid.length - stored, mentions, rejected }, batchStatus(rejected));
});

/** Artist buzz from text (`GET /v1/artists/:id/buzz`), mounted under /v1/artists. */
export const artistBuzz = newRouter();

const json = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
const TOP_ARTICLES = 10;
const TOP_TERMS = 15;

artistBuzz.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/{id}/buzz',
    operationId: 'getArtistBuzz',
    tags: ['Artist analytics'],
    summary: 'Buzz from articles, blogs and reviews: daily mentions, velocity against the artist’s own baseline, sentiment',
    description:
      'Per UTC day of publication: texts mentioning the artist or one of their tracks, velocity = (mentions − mean of the 28 days ' +
      'before) ÷ max(their standard deviation, 1), and the mean sentiment of the sentences mentioning them. With the top texts of ' +
      'the period (most mentions, then newest) and the descriptive terms used about them.',
    security: bearerAuth,
    request: { params: ArtistParams, query: BuzzQuery },
    responses: {
      200: json('The daily series, top texts and terms', BuzzSchema),
      400: errorResponse('Invalid parameter (details.issues[].path names it)'),
      403: errorResponse('The key is not bound to this artist, or its role may not do this'),
      404: errorResponse('No such artist'),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const now = Date.now();
    const range = resolveRange(c.req.valid('query'), now);
    const db = createDb(c.env.DB);
    await openArtist(c.get('principal'), db, id);
    const span = { artistId: id, from: range.from, to: range.to };
    const [counts, articles, terms] = await Promise.all([
      mentionsByDay(db, { ...span, from: range.from - BASELINE_DAYS }),
      topArticles(db, { ...span, limit: TOP_ARTICLES }),
      termsOfArtist(db, { ...span, limit: TOP_TERMS }),
    ]);
    const clamp = (x: number) => Math.max(-1, Math.min(1, x));
    return c.json(
      {
        artist_id: id,
        period: { from: dayToIso(range.from), to: dayToIso(range.to) },
        // Buzz reads the stored texts directly (no rollup): everything acknowledged is counted.
        as_of: new Date(now).toISOString(),
        days: buzzSeries(counts, range.from, range.to).map((d) => ({
          date: dayToIso(d.day),
          mentions: d.mentions,
          velocity: d.velocity,
          sentiment: d.sentiment === null ? null : clamp(d.sentiment),
        })),
        articles: articles.map((a) => ({
          id: a.id,
          url: a.url,
          title: a.title,
          source: a.source,
          published_at: new Date(a.publishedAt).toISOString(),
          mentions: a.occurrences,
          sentiment: clamp(a.sentiment),
          text_sentiment: clamp(a.textSentiment),
          tracks: JSON.parse(a.tracks) as string[],
        })),
        terms,
      },
      200,
    );
  },
);
