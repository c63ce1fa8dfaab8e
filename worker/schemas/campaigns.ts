import { z } from '@hono/zod-openapi';
import { Id } from './event.ts';

const Instant = z.iso.datetime({ offset: true }).openapi({ example: '2026-12-01T00:00:00Z' });

export const CampaignParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'cmp_8d2f' }),
});

export const CampaignCreateRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    segment_id: z.string().min(1).max(64),
    track_id: Id.openapi({ description: 'A track of an artist in the key’s roster' }),
    starts_at: Instant,
    ends_at: Instant,
    holdout_share: z
      .number()
      .min(0.01)
      .max(0.5)
      .default(0.1)
      .openapi({ description: 'Share of the audience kept out of the boost to measure lift' }),
  })
  .superRefine((b, ctx) => {
    if (Date.parse(b.ends_at) <= Date.parse(b.starts_at))
      ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'ends_at must be after starts_at' });
  })
  .openapi('CampaignCreateRequest');

export const CampaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    artist_id: z.string(),
    track_id: z.string(),
    segment_id: z.string(),
    starts_at: z.iso.datetime(),
    ends_at: z.iso.datetime(),
    holdout_share: z.number(),
    status: z.enum(['scheduled', 'running', 'ended']),
    audience: z
      .object({ treated: z.number().int(), holdout: z.number().int() })
      .openapi('CampaignAudience', { description: 'Segment members frozen at creation, split by a hash of campaign and user' }),
    created_at: z.iso.datetime(),
  })
  .openapi('Campaign');

export const CampaignListSchema = z.object({ campaigns: z.array(CampaignSchema) }).openapi('CampaignList');

const LiftSchema = z
  .object({
    treated: z.number().openapi({ description: 'Mean per treated user' }),
    holdout: z.number().openapi({ description: 'Mean per holdout user' }),
    difference: z.number(),
    ci_low: z.number().nullable().openapi({ description: '95 % confidence interval of the difference (Welch, normal approximation)' }),
    ci_high: z.number().nullable(),
    relative: z.number().nullable().openapi({ description: 'difference ÷ holdout mean' }),
    significant: z.boolean().openapi({ description: 'The interval excludes 0' }),
  })
  .openapi('Lift');

export const CampaignReportSchema = z
  .object({
    campaign_id: z.string(),
    track_id: z.string(),
    measured_from: z.iso.datetime(),
    measured_to: z.iso.datetime(),
    groups: z.array(
      z
        .object({
          group: z.enum(['treated', 'holdout']),
          users: z.number().int(),
          impressions: z.number().int(),
          streams_per_user: z.number(),
          saves_per_user: z.number(),
        })
        .openapi('CampaignGroup'),
    ),
    lift: z.object({ streams_per_user: LiftSchema, saves_per_user: LiftSchema }).openapi('CampaignLift'),
  })
  .openapi('CampaignReport');
