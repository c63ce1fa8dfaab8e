/** Wire shapes of experiments: model versions (or ranking settings) compared online. */
import { z } from '@hono/zod-openapi';
import { Id } from './event.ts';

export const MAX_ARMS = 4;

const ArmSettingsSchema = z
  .strictObject({
    exploration: z.number().min(0).max(0.5).optional(),
    diversity: z.number().min(0).max(1).optional(),
    max_per_artist: z.number().int().min(1).max(50).optional(),
    ranker: z
      .enum(['model', 'popular'])
      .optional()
      .openapi({ description: "`popular`: the week's popular tracks instead of the model's ranking, a baseline arm" }),
  })
  .openapi('ArmSettings', { description: "Ranking settings the arm serves with, over the request's own" });

export const ArmSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, - and _, up to 40')
      .refine((n) => n !== 'interleaved', 'interleaved is reserved')
      .openapi({ example: 'control' }),
    model_version: z.string().min(1).max(128),
    share: z.number().gt(0).lt(1).optional().openapi({ description: 'Share of listeners (split); equal shares when every arm omits it' }),
    settings: ArmSettingsSchema.optional(),
  })
  .openapi('Arm');

export const CreateExperimentSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    mode: z.enum(['split', 'interleave']).default('split').openapi({
      description: '`split`: each listener gets one arm by a stable hash of the user id. `interleave`: two arms, merged by team draft.',
    }),
    arms: z.array(ArmSchema).min(2).max(MAX_ARMS).openapi({ description: 'The first arm is the control' }),
  })
  .openapi('CreateExperiment');

export const ExperimentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    mode: z.enum(['split', 'interleave']),
    status: z.enum(['running', 'stopped', 'promoted']),
    arms: z.array(
      z.object({
        name: z.string(),
        model_version: z.string(),
        share: z.number(),
        settings: ArmSettingsSchema.optional(),
      }),
    ),
    winner: z.string().nullable(),
    created_by: z.string(),
    started_at: z.string(),
    stopped_at: z.string().nullable(),
  })
  .openapi('Experiment');

export const ExperimentParams = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 'exp_3f9a0c1d2e4b' }) });

const LiftSchema = z.object({
  treated: z.number(),
  holdout: z.number().openapi({ description: "The control arm's mean" }),
  difference: z.number(),
  ci_low: z.number().nullable(),
  ci_high: z.number().nullable(),
  relative: z.number().nullable(),
  significant: z.boolean(),
});

export const ExperimentReportSchema = z
  .object({
    experiment: ExperimentSchema,
    measured_from: z.string(),
    measured_to: z.string(),
    arms: z
      .array(
        z.object({
          arm: z.string(),
          users: z.number().int(),
          lists: z.number().int(),
          impressions: z.number().int(),
          coverage: z.number().openapi({ description: 'Distinct tracks served / listed tracks' }),
          conversion: z.number().openapi({ description: 'Per listener: share of their lists with a stream from the list, averaged' }),
          streams_per_user: z.number(),
          saves_per_user: z.number(),
          skip_rate: z.number().openapi({ description: 'Per listener with plays from the lists: skips under 30 s / plays, averaged' }),
        }),
      )
      .openapi({ description: 'Split experiments: each arm (empty under interleaving)' }),
    lift: z
      .array(
        z.object({
          arm: z.string(),
          against: z.string(),
          conversion: LiftSchema,
          streams_per_user: LiftSchema,
          saves_per_user: LiftSchema,
          skip_rate: LiftSchema,
        }),
      )
      .openapi({ description: 'Each arm against the control, 95 % intervals (Welch, per listener)' }),
    interleaving: z
      .object({
        exposed_users: z.number().int(),
        lists: z.number().int(),
        impressions: z.number().int(),
        users: z.number().int().openapi({ description: 'Listeners with at least one credited stream' }),
        wins_a: z.number().int(),
        wins_b: z.number().int(),
        ties: z.number().int(),
        preference_b: z.number().openapi({ description: 'Share of listeners preferring arm B (ties count half)' }),
        delta: z.number().openapi({ description: 'preference_b − 0.5: positive when B is better' }),
        ci_low: z.number().nullable(),
        ci_high: z.number().nullable(),
        significant: z.boolean(),
      })
      .nullable(),
  })
  .openapi('ExperimentReport');
