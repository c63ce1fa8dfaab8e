import { z } from '@hono/zod-openapi';
import { AsOf } from './analytics.ts';
import { SegmentRule } from './segment-rules.ts';

export const SegmentParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'seg_3k9x' }),
});

export const SegmentEstimateRequest = z.strictObject({ rule: SegmentRule }).openapi('SegmentEstimateRequest');
/** The instant the size is true for, as in every analytics answer. */
const SizeAsOf = AsOf.openapi({ description: 'Every event acknowledged before this instant is counted in the size' });

export const SegmentEstimateSchema = z
  .object({ artist_id: z.string(), size: z.number().int().openapi({ description: 'Users the rule selects now' }), as_of: SizeAsOf })
  .openapi('SegmentEstimate');

export const SegmentCreateRequest = z
  .strictObject({ name: z.string().trim().min(1).max(120), rule: SegmentRule })
  .openapi('SegmentCreateRequest');

export const SegmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    artist_id: z.string(),
    rule: SegmentRule,
    created_at: z.iso.datetime(),
    size: z.number().int().openapi({ description: 'Users the rule selects now' }),
    as_of: SizeAsOf,
  })
  .openapi('Segment');

export const SegmentListSchema = z
  .object({ segments: z.array(SegmentSchema.omit({ size: true, as_of: true }).openapi('SegmentSummary')) })
  .openapi('SegmentList');
