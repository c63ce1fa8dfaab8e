import { createRoute, z } from '@hono/zod-openapi';
import { dayString } from '../../contract/archive-layout.ts';
import { archiveColdDays, listArchive, sweepOrphans } from '../archive/events-archive.ts';
import { hotDaysOf } from '../archive/hot-window.ts';
import { allow } from '../auth/scope.ts';
import { errorResponse } from '../schemas/error.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const adminArchive = newRouter();

const PartSchema = z
  .object({
    day: z.string().openapi({ example: '2026-10-01', description: 'UTC day of the events' }),
    key: z.string().openapi({ example: 'events/day=2026-10-01/part-3f2a….parquet', description: 'R2 object key in the ARCHIVE bucket' }),
    rows: z.number().int(),
    bytes: z.number().int(),
  })
  .openapi('ArchivePart');

const RunBodySchema = z
  .strictObject({
    max_days: z.number().int().min(1).max(365).optional().openapi({ description: 'Most days to move, oldest first; default 3' }),
  })
  .openapi('ArchiveRun');

const RunResultSchema = z
  .object({
    hot_days: z.number().int().openapi({ description: 'EVENTS_HOT_DAYS: days before today kept in D1' }),
    parts: z.array(PartSchema),
    rows: z.number().int(),
    bytes: z.number().int(),
    skipped: z.array(
      z.object({
        day: z.string(),
        reason: z.string().openapi({ description: 'rollup_pending, recently_received, not_settled or part_committed_already' }),
      }),
    ),
  })
  .openapi('ArchiveRunResult');

adminArchive.openapi(
  createRoute({
    ...allow('admin'),
    method: 'post',
    path: '/run',
    operationId: 'runArchive',
    tags: ['Admin'],
    summary: 'Move cold days of raw events to the archive',
    description:
      'Moves up to max_days UTC days older than the hot window (EVENTS_HOT_DAYS) from D1 to Parquet in R2, oldest first, part by part: write, read back and verify, then one D1 transaction lists the part and deletes exactly its events. Safe to rerun after any failure. Rollups are not affected. The cron does the same, 3 days per run.',
    security: bearerAuth,
    request: { body: { required: false, content: { 'application/json': { schema: RunBodySchema } } } },
    responses: {
      200: { description: 'What moved', content: { 'application/json': { schema: RunResultSchema } } },
      400: errorResponse('Invalid body'),
      500: errorResponse('A part failed to write or verify; nothing of it was deleted'),
    },
  }),
  async (c) => {
    const body = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : {};
    const hotDays = hotDaysOf(c.env);
    const r = await archiveColdDays({ db: c.env.DB, bucket: c.env.ARCHIVE }, { now: Date.now(), hotDays, maxDays: body.max_days ?? 3 });
    return c.json(
      {
        hot_days: hotDays,
        parts: r.days.map((p) => ({ day: dayString(p.day), key: p.key, rows: p.rows, bytes: p.bytes })),
        rows: r.rows,
        bytes: r.bytes,
        skipped: r.skipped.map((s) => ({ day: dayString(s.day), reason: s.reason })),
      },
      200,
    );
  },
);

adminArchive.openapi(
  createRoute({
    ...allow('admin'),
    method: 'get',
    path: '/',
    operationId: 'listArchive',
    tags: ['Admin'],
    summary: 'List the archived parts',
    description:
      'The manifest (the commit log of the archive): every committed Parquet part, oldest day first. Objects in R2 that are not listed are orphans of a crashed run.',
    security: bearerAuth,
    responses: {
      200: {
        description: 'Committed parts',
        content: {
          'application/json': { schema: z.object({ parts: z.array(PartSchema), rows: z.number().int(), bytes: z.number().int() }) },
        },
      },
    },
  }),
  async (c) => {
    const entries = await listArchive(c.env.DB);
    return c.json(
      {
        parts: entries.map((e) => ({ day: dayString(e.day), key: e.key, rows: e.rows, bytes: e.bytes })),
        rows: entries.reduce((n, e) => n + e.rows, 0),
        bytes: entries.reduce((n, e) => n + e.bytes, 0),
      },
      200,
    );
  },
);

adminArchive.openapi(
  createRoute({
    ...allow('admin'),
    method: 'post',
    path: '/sweep',
    operationId: 'sweepArchive',
    tags: ['Admin'],
    summary: 'Delete orphaned archive objects',
    description:
      'Deletes objects under events/ that the manifest does not list (left by archive runs that crashed after writing), once they are an hour old and their day has no events left in D1, so no run can still commit them. The cron does this hourly. Examines up to 50 000 objects per call; truncated says more remain.',
    security: bearerAuth,
    responses: {
      200: {
        description: 'What was deleted',
        content: {
          'application/json': {
            schema: z
              .object({ examined: z.number().int(), deleted: z.array(z.string()), truncated: z.boolean() })
              .openapi('ArchiveSweepResult'),
          },
        },
      },
    },
  }),
  async (c) => c.json(await sweepOrphans({ db: c.env.DB, bucket: c.env.ARCHIVE }, { now: Date.now() }), 200),
);
