/** Request and response schemas of text ingest (`POST /v1/texts`) and artist buzz (`GET /v1/artists/:id/buzz`). */
import { z } from '@hono/zod-openapi';
import { AsOf, RangeQuery } from './analytics.ts';
import { Id, Timestamp } from './event.ts';

export { ArtistParams } from './analytics.ts';

export const MAX_TEXTS_PER_BATCH = 100;
export const MAX_TITLE_CHARS = 500;
/** About 3 000 words: a long review. Bodies are stored whole; the 1 MB request limit holds too. */
export const MAX_BODY_CHARS = 20_000;
export const MAX_URL_CHARS = 2048;
export const MAX_SOURCE_CHARS = 128;

export const TextSchema = z
  .strictObject({
    id: Id.openapi({ description: 'Client-chosen idempotency key: a resent id is stored once', example: 'pitchfork-2026-11-24-nova' }),
    url: z
      .string()
      .max(MAX_URL_CHARS)
      // A pattern (not z.url()) so the OpenAPI document, and clients generated from it, carry the rule.
      .regex(/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[^\s]*)?$/, { message: 'must be an http or https URL' })
      .openapi({ example: 'https://example.com/reviews/nova-home' }),
    published_at: Timestamp,
    title: z.string().min(1).max(MAX_TITLE_CHARS).openapi({ example: 'Nova returns with a new single' }),
    body: z
      .string()
      .min(1)
      .max(MAX_BODY_CHARS)
      .openapi({ example: 'Nova’s new single "Home" is a slow-burning, dreamy piece of lo-fi pop.' }),
    source: z.string().trim().min(1).max(MAX_SOURCE_CHARS).openapi({ description: 'Publication, blog or site', example: 'Example Weekly' }),
  })
  .openapi('Text');

export type TextInput = z.output<typeof TextSchema>;

export const TextBatchSchema = z.object({ texts: z.array(TextSchema).min(1).max(MAX_TEXTS_PER_BATCH) }).openapi('TextBatch');

const FieldErrorSchema = z.object({ path: z.string(), code: z.string(), message: z.string() });
export const RejectedTextSchema = z
  .object({ index: z.number().int(), id: z.string().nullable(), errors: z.array(FieldErrorSchema) })
  .openapi('RejectedText');

export const TextIngestResultSchema = z
  .object({
    accepted: z.number().int().openapi({ description: 'Valid texts in the batch, new or already stored' }),
    stored: z.number().int().openapi({ description: 'Texts stored for the first time by this request' }),
    duplicates: z.number().int().openapi({ description: 'Valid texts whose id was already stored (left as first stored)' }),
    mentions: z.number().int().openapi({ description: 'Artist and track mentions linked in the newly stored texts' }),
    rejected: z.array(RejectedTextSchema),
  })
  .openapi('TextIngestResult');

export const BuzzQuery = RangeQuery.omit({ format: true });

const Sentiment = z.number().min(-1).max(1).openapi({ description: 'From −1 (negative) to 1 (positive), wink-nlp' });

export const BuzzSchema = z
  .object({
    artist_id: z.string(),
    period: z.object({ from: z.iso.date(), to: z.iso.date() }),
    as_of: AsOf,
    days: z.array(
      z.object({
        date: z.iso.date(),
        mentions: z.number().int().openapi({ description: 'Texts published that day that mention the artist or one of their tracks' }),
        velocity: z.number().openapi({
          description:
            "(mentions − mean of the 28 days before) ÷ max(standard deviation of those days, 1): the day against the artist's own baseline",
        }),
        sentiment: Sentiment.nullable().openapi({
          description: 'Mean sentiment of the sentences mentioning them that day; null without mentions',
        }),
      }),
    ),
    articles: z
      .array(
        z.object({
          id: z.string(),
          url: z.string(),
          title: z.string(),
          source: z.string(),
          published_at: z.iso.datetime(),
          mentions: z.number().int().openapi({ description: 'Occurrences of the artist and their tracks in the text' }),
          sentiment: Sentiment.openapi({ description: 'Sentiment of the sentences mentioning them' }),
          text_sentiment: Sentiment.openapi({ description: 'Sentiment of the whole text' }),
          tracks: z.array(z.string()).openapi({ description: 'Ids of their tracks the text mentions' }),
        }),
      )
      .openapi({ description: 'Up to 10 texts of the period, most mentions first, then newest' }),
    terms: z.array(z.object({ term: z.string(), weight: z.number(), texts: z.number().int() })).openapi({
      description:
        'Descriptive terms used about them in the period (candidate tags, source text): weight = sum over texts of the term’s share',
    }),
  })
  .openapi('ArtistBuzz');
