import { z } from '@hono/zod-openapi';
import { Id } from './event.ts';
import { ACTIVITIES } from './recommendations.ts';

/** Tracks an editorial playlist holds at most. */
export const MAX_EDITORIAL_TRACKS = 500;
/** The furthest position a slot can take in a personalised list. */
export const MAX_SLOT_POSITION = 50;

const Instant = z.iso.datetime({ offset: true }).openapi({ example: '2026-12-01T00:00:00Z' });

export const EditorialParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'ed_5f1c0a' }),
});

const TargetSchema = z
  .strictObject({
    genres: z.array(z.string().trim().toLowerCase().min(1).max(64)).max(50).default([]).openapi({
      description: "Listeners whose taste includes one of these genres (among their 50 strongest tracks'); empty: any",
    }),
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as DE'))
      .max(250)
      .default([])
      .openapi({ description: "Listeners in these countries (their profile's country); empty: any" }),
    activities: z
      .array(z.enum(ACTIVITIES))
      .max(ACTIVITIES.length)
      .default([])
      .openapi({ description: 'Requests with one of these activities; empty: any request' }),
  })
  .openapi('EditorialTarget', { description: 'Who the slot reaches: every non-empty list must match' });

const SlotSchema = z
  .strictObject({
    position: z.number().int().min(1).max(MAX_SLOT_POSITION).openapi({ description: '1-based position in the personalised list' }),
    surfaces: z
      .array(z.string().trim().min(1).max(64))
      .min(1)
      .max(20)
      .default(['home'])
      .openapi({ description: 'Surfaces the slot applies to; `home` includes lists requested without a surface' }),
  })
  .openapi('EditorialSlot', {
    description: 'Position policy: the pick from this playlist that fits the listener best takes this position of their lists',
  });

const TrackIds = z
  .array(Id)
  .max(MAX_EDITORIAL_TRACKS)
  .superRefine((ids, ctx) => {
    const seen = new Set<string>();
    for (const [k, id] of ids.entries()) {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [k], message: `Track ${id} is in the playlist twice` });
      seen.add(id);
    }
  })
  .openapi({ description: 'Track ids in playlist order (the whole list: send it again to reorder)' });

const scheduleRule = (b: { starts_at?: string | null | undefined; ends_at?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (b.starts_at && b.ends_at && Date.parse(b.ends_at) <= Date.parse(b.starts_at))
    ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'ends_at must be after starts_at' });
};

export const EditorialCreateRequest = z
  .strictObject({
    title: z.string().trim().min(1).max(120),
    description: z.string().trim().max(1000).default(''),
    tracks: TrackIds.default([]),
    target: TargetSchema.default({ genres: [], countries: [], activities: [] }),
    slot: SlotSchema.nullable().default(null),
    starts_at: Instant.nullable().default(null).openapi({ description: 'The slot runs from then (null: from publication)' }),
    ends_at: Instant.nullable().default(null).openapi({ description: 'The slot stops then (null: until unpublished)' }),
  })
  .superRefine(scheduleRule)
  .openapi('EditorialCreateRequest');

export const EditorialUpdateRequest = z
  .strictObject({
    title: z.string().trim().min(1).max(120).optional(),
    description: z.string().trim().max(1000).optional(),
    tracks: TrackIds.optional(),
    target: TargetSchema.optional(),
    slot: SlotSchema.nullable().optional(),
    starts_at: Instant.nullable().optional(),
    ends_at: Instant.nullable().optional(),
  })
  .superRefine(scheduleRule)
  .openapi('EditorialUpdateRequest', { description: 'Fields left out keep their value' });

export const EditorialPlaylistSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    status: z.enum(['draft', 'published', 'archived']),
    tracks: z.array(
      z.object({
        position: z.number().int(),
        track_id: z.string(),
        title: z.string().nullable().openapi({ description: 'null when the track has left the catalogue' }),
        artist_id: z.string().nullable(),
        artist_name: z.string().nullable(),
        added_at: z.iso.datetime(),
      }),
    ),
    target: z.object({ genres: z.array(z.string()), countries: z.array(z.string()), activities: z.array(z.enum(ACTIVITIES)) }),
    slot: z.object({ position: z.number().int(), surfaces: z.array(z.string()) }).nullable(),
    starts_at: z.iso.datetime().nullable(),
    ends_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    published_at: z.iso.datetime().nullable(),
  })
  .openapi('EditorialPlaylist');

export const EditorialListSchema = z.object({ playlists: z.array(EditorialPlaylistSchema) }).openapi('EditorialPlaylistList');

export const EditorialStatsQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(28).openapi({ description: 'The last this many days (default 28)' }),
});

export const EditorialStatsSchema = z
  .object({
    playlist_id: z.string(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    listeners_reached: z
      .number()
      .int()
      .openapi({ description: 'Distinct listeners served one of its tracks in a slot, or who played from it' }),
    impressions: z.number().int().openapi({ description: 'Slot impressions in personalised lists' }),
    streams: z.number().int().openapi({ description: 'Streams (≥ 30 s) from its slots and from the playlist itself' }),
    saves: z.number().int(),
    skips: z.number().int(),
    skip_rate: z.number().nullable().openapi({ description: 'Skips under 30 s ÷ plays started; null without plays' }),
    tracks: z.array(
      z.object({
        track_id: z.string(),
        impressions: z.number().int(),
        streams: z.number().int(),
        saves: z.number().int(),
        skips: z.number().int(),
      }),
    ),
  })
  .openapi('EditorialStats');
