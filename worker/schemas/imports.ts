/** Wire shapes of listening-history imports (POST /v1/users/{userId}/imports). */
import { z } from '@hono/zod-openapi';
import { Id } from './event.ts';

/** worker/imports/detect.ts FORMATS (restated: schemas are a leaf; the route checks they agree). */
export const IMPORT_FORMATS = ['spotify', 'youtube_music', 'lastfm_csv', 'lastfm_json', 'apple_music'] as const;

export const ImportParams = z.object({ userId: Id.openapi({ param: { name: 'userId', in: 'path' }, example: 'u-42' }) });

export const ImportQuerySchema = z.object({
  format: z.enum(IMPORT_FORMATS).optional().openapi({ description: 'The export format; detected from the file when absent' }),
  file: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'The file name (named in errors; helps detection)', example: 'StreamingHistory_music_0.json' }),
});

const RecordErrorSchema = z
  .object({
    file: z.string().optional(),
    index: z.number().int(),
    line: z.number().int().optional(),
    field: z.string(),
    code: z.string(),
    message: z.string(),
  })
  .openapi('ImportRecordError');

export const ImportResultSchema = z
  .object({
    user_id: z.string(),
    format: z.enum(IMPORT_FORMATS),
    platform: z.string(),
    records: z.object({
      listens: z.number().int(),
      skipped: z
        .record(z.string(), z.number().int())
        .openapi({ description: 'Records that are not listens of music, by reason (podcast, not_audio, ad, …)' }),
      errors: z.number().int(),
    }),
    matched: z.number().int().openapi({ description: 'Listens placed on a catalogue track' }),
    by_method: z.record(z.string(), z.number().int()),
    unmatched_listens: z.number().int().openapi({ description: 'Listens kept aside until their track is in the catalogue' }),
    events: z.object({ stored: z.number().int(), duplicates: z.number().int() }),
    unmatched: z.array(z.object({ artist_name: z.string(), track_name: z.string(), plays: z.number().int() })).openapi({
      description: 'The 20 most played unmatched tracks of this file',
    }),
    errors: z.array(RecordErrorSchema).openapi({ description: 'The first 20 record errors, by file and record index' }),
  })
  .openapi('ImportResult');
