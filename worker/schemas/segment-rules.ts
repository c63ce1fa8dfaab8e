/** Segment rules: engagement conditions over one artist, evaluated against the rollups. */
import { z } from '@hono/zod-openapi';
import { Id } from './event.ts';

const Days = (def: number) => z.number().int().min(1).max(365).default(def);

export const CompletedNotSavedRule = z
  .strictObject({
    type: z.literal('completed_not_saved'),
    artist_id: Id,
    min_completions: z.number().int().min(1).max(10_000).default(3),
    window_days: Days(28),
  })
  .openapi('CompletedNotSavedRule', {
    description: 'Completed ≥ min_completions plays of the artist in the window, and never saved any of its tracks',
  });

export const LapsedRule = z
  .strictObject({
    type: z.literal('lapsed'),
    artist_id: Id,
    min_streams: z.number().int().min(1).max(10_000).default(3),
    active_days: Days(90),
    lapsed_days: Days(28),
  })
  .openapi('LapsedRule', {
    description: '≥ min_streams streams of the artist in the active_days before the last lapsed_days, and none in the last lapsed_days',
  });

export const SuperListenersRule = z
  .strictObject({
    type: z.literal('super_listeners'),
    artist_id: Id,
    min_streams: z.number().int().min(1).max(100_000).default(20),
    min_saves: z.number().int().min(0).max(10_000).default(1),
    window_days: Days(28),
  })
  .openapi('SuperListenersRule', {
    description: '≥ min_streams streams in the window and ≥ min_saves net saves of the artist’s tracks (ever)',
  });

export const LookalikeRule = z
  .strictObject({
    type: z.literal('lookalike'),
    artist_id: Id,
    size: z.number().int().min(1).max(50_000).default(1000),
    window_days: Days(90),
  })
  .openapi('LookalikeRule', {
    description:
      'The `size` users whose taste vector (genre shares and mean audio features of their streams in the window) is closest (cosine) ' +
      'to the centroid of the artist’s listeners, among users who never played the artist',
  });

export const SegmentRule = z
  .discriminatedUnion('type', [CompletedNotSavedRule, LapsedRule, SuperListenersRule, LookalikeRule])
  .openapi('SegmentRule');
export type SegmentRule = z.output<typeof SegmentRule>;
