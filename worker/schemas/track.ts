import { z } from '@hono/zod-openapi';
import { Id } from './event.ts';

export const MAX_TRACKS_PER_BATCH = 500;

const unit = () => z.number().min(0).max(1);

export const AudioFeaturesSchema = z
  .strictObject({
    tempo: z.number().min(0).max(300).optional().openapi({ description: 'Beats per minute' }),
    key: z.number().int().min(-1).max(11).optional().openapi({ description: 'Pitch class, -1 when unknown' }),
    mode: z
      .union([z.literal(0), z.literal(1)])
      .optional()
      .openapi({ description: '1 major, 0 minor' }),
    energy: unit().optional(),
    danceability: unit().optional(),
    valence: unit().optional(),
    acousticness: unit().optional(),
    instrumentalness: unit().optional(),
    speechiness: unit().optional(),
    liveness: unit().optional(),
    loudness: z.number().min(-70).max(10).optional().openapi({ description: 'dB, typically -60..0' }),
  })
  .openapi('AudioFeatures');

export const TrackInputSchema = z
  .strictObject({
    id: Id.openapi({ example: 't-1001' }),
    title: z.string().trim().min(1).max(300),
    artist: z.strictObject({ id: Id, name: z.string().trim().min(1).max(300) }),
    duration_ms: z
      .number()
      .int()
      .min(1000)
      .max(6 * 3600 * 1000),
    release_date: z.iso.date().optional().openapi({ example: '2026-10-02' }),
    genre: z.string().trim().toLowerCase().min(1).max(64).optional(),
    tags: z.array(z.string().trim().toLowerCase().min(1).max(64)).max(50).optional(),
    audio_features: AudioFeaturesSchema.optional(),
  })
  .openapi('TrackInput');

export type TrackInput = z.output<typeof TrackInputSchema>;

export const TrackBatchSchema = z.object({ tracks: z.array(TrackInputSchema).min(1).max(MAX_TRACKS_PER_BATCH) }).openapi('TrackBatch');

export const TrackSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    artist: z.object({ id: z.string(), name: z.string() }),
    duration_ms: z.number().int(),
    release_date: z.string().nullable(),
    genre: z.string().nullable(),
    tags: z.array(z.string()),
    audio_features: z.record(z.string(), z.number().nullable()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Track');

export const ArtistSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    track_count: z.number().int(),
    genres: z.array(z.string()),
    created_at: z.string(),
  })
  .openapi('Artist');

export const UpsertResultSchema = z
  .object({
    accepted: z.number().int(),
    rejected: z.array(
      z.object({
        index: z.number().int(),
        id: z.string().nullable(),
        errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
      }),
    ),
  })
  .openapi('UpsertResult');
