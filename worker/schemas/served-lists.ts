/** Wire shapes of the served-list backfill: lists served before Backbeat logged them (imports, demo history). */
import { z } from '@hono/zod-openapi';
import { Id, Timestamp } from './event.ts';
import { REC_SOURCES } from './recommendations.ts';

export const MAX_IMPORTED_LISTS = 200;
export const MAX_IMPORTED_ITEMS = 100;

export const ServedListImportSchema = z
  .strictObject({
    rec_id: Id.openapi({ description: 'The id plays from this list carry as context.rec_id' }),
    user_id: Id,
    surface: z.string().min(1).max(64).openapi({ example: 'home' }),
    served_at: Timestamp,
    items: z
      .array(
        z.strictObject({
          track_id: Id,
          source: z.enum(REC_SOURCES).default('model'),
          score: z.number().finite().optional(),
          reason: z.string().max(200).optional(),
        }),
      )
      .min(1)
      .max(MAX_IMPORTED_ITEMS)
      .openapi({ description: 'In served order: an item’s index is its position' }),
  })
  .openapi('ServedListImport');

export const ServedListsImportSchema = z
  .strictObject({ lists: z.array(ServedListImportSchema).min(1).max(MAX_IMPORTED_LISTS) })
  .openapi('ServedListsImport');

export const ServedListsImportResultSchema = z
  .object({
    accepted: z.number().int(),
    stored: z.number().int().openapi({ description: 'Lists new to Backbeat' }),
    duplicates: z.number().int().openapi({ description: 'Lists whose rec_id was stored before (left as they were)' }),
    rejected: z
      .array(z.object({ index: z.number().int() }))
      .openapi({ description: 'Always empty: an invalid list rejects the whole request (400)' }),
  })
  .openapi('ServedListsImportResult');
