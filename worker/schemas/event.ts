import { z } from '@hono/zod-openapi';
import { EVENT_TYPES } from '../../contract/events.ts';

export const SOURCES = ['algorithmic', 'editorial', 'user_playlist', 'search', 'library', 'artist_page', 'radio', 'other'] as const;

export const MAX_EVENTS_PER_BATCH = 500;
export const MAX_BODY_BYTES = 1024 * 1024;
/** Oldest accepted timestamp: historical imports (Last.fm logs start in 2005) must still fit. */
const MIN_TS = Date.UTC(2000, 0, 1);
/** Clocks drift; a day ahead is tolerated, more is a client bug. */
const MAX_FUTURE_MS = 24 * 3600 * 1000;
const MAX_MS_PLAYED = 24 * 3600 * 1000;

/**
 * Every id the API takes (events, users, tracks, artists, and the ids in paths): 1–128 of
 * A–Z a–z 0–9 . _ : @ + = ~ -. Enough for UUIDs, MBIDs, `spotify:track:…` URIs and e-mail-like ids,
 * and nothing that needs escaping in a URL path, a CSV cell, a header or a file name.
 */
export const ID_PATTERN = /^[A-Za-z0-9._:@+=~-]{1,128}$/;
export const Id = z
  .string()
  .trim()
  .regex(ID_PATTERN, { message: 'must be 1–128 of A–Z a–z 0–9 . _ : @ + = ~ - (no spaces, slashes, quotes or control characters)' })
  // A URL path resolves the segments `.` and `..` away, so such an id could never be addressed.
  .refine((id) => id !== '.' && id !== '..', { message: 'must not be . or .. (a URL path resolves them away)' });

export const Timestamp = z
  .union([z.iso.datetime({ offset: true }), z.number().int()])
  .transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : Date.parse(v);
    if (ms < MIN_TS || ms > Date.now() + MAX_FUTURE_MS) {
      ctx.addIssue({ code: 'custom', message: 'ts must be between 2000-01-01 and one day from now' });
      return z.NEVER;
    }
    return ms;
  })
  .openapi({ description: 'ISO 8601 with offset, or epoch milliseconds', example: '2026-11-24T19:30:00Z' });

export const EventContextSchema = z
  .strictObject({
    source: z.enum(SOURCES).optional(),
    surface: z.string().max(64).optional().openapi({ example: 'home' }),
    rec_id: z.string().max(64).optional().openapi({ description: 'The rec_id of the served list the play came from' }),
    position: z.number().int().min(0).max(10_000).optional(),
    playlist_id: z.string().max(128).optional(),
    device: z.string().max(64).optional(),
  })
  .openapi('EventContext');

export const EventSchema = z
  .strictObject({
    event_id: Id.openapi({ description: 'Client-generated idempotency key', example: 'e-7f3a' }),
    user_id: Id.openapi({ example: 'u-42' }),
    track_id: Id.openapi({ example: 't-1001' }),
    type: z.enum(EVENT_TYPES),
    ts: Timestamp,
    ms_played: z.number().int().min(0).max(MAX_MS_PLAYED).optional(),
    context: EventContextSchema.optional(),
  })
  .superRefine((e, ctx) => {
    if ((e.type === 'play_end' || e.type === 'skip') && e.ms_played === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ms_played'], message: `ms_played is required for ${e.type}` });
    }
  })
  .openapi('Event');

export type EventInput = z.output<typeof EventSchema>;

export const EventBatchSchema = z.object({ events: z.array(EventSchema).min(1).max(MAX_EVENTS_PER_BATCH) }).openapi('EventBatch');

export const RejectedEventSchema = z
  .object({
    index: z.number().int(),
    event_id: z.string().nullable(),
    errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
  })
  .openapi('RejectedEvent');

export const IngestResultSchema = z
  .object({
    accepted: z.number().int().openapi({ description: 'Valid events in the batch, new or already stored' }),
    stored: z.number().int().openapi({ description: 'Events stored for the first time by this request' }),
    duplicates: z.number().int().openapi({ description: 'Valid events whose event_id was already stored' }),
    rejected: z.array(RejectedEventSchema),
  })
  .openapi('IngestResult');
