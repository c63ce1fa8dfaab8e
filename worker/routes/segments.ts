import { createRoute, z } from '@hono/zod-openapi';
import { csvResponse, toCsv } from '../analytics/csv.ts';
import { allow, assertArtistAccess, openSegment } from '../auth/scope.ts';
import { createDb } from '../db/client.ts';
import { insertSegment, listSegments, type SegmentRow } from '../db/segments.ts';
import { errorResponse } from '../schemas/error.ts';
import { SegmentRule } from '../schemas/segment-rules.ts';
import {
  SegmentCreateRequest,
  SegmentEstimateRequest,
  SegmentEstimateSchema,
  SegmentListSchema,
  SegmentParams,
  SegmentSchema,
} from '../schemas/segments.ts';
import { segmentSnapshot } from '../segments/evaluate.ts';
import { pseudonymousId } from '../segments/pseudonym.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

/** Marketer audiences over the key's roster (admin: every artist). */
export const segments = newRouter();

const json = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
const errors = {
  400: errorResponse('Invalid body (details.issues[].path names the field)'),
  403: errorResponse('Not a marketer or admin key, or the artist is not in its roster'),
} as const;
const notMarketer = errorResponse('Not a marketer or admin key');
const notFound = errorResponse('No such segment, or one of an artist outside the roster of the key (the same answer)');

function present(s: SegmentRow) {
  return {
    id: s.id,
    name: s.name,
    artist_id: s.artistId,
    rule: SegmentRule.parse(JSON.parse(s.rule)),
    created_at: new Date(s.createdAt).toISOString(),
  };
}

segments.openapi(
  createRoute({
    ...allow('admin', 'marketer'),
    method: 'post',
    path: '/estimate',
    operationId: 'estimateSegment',
    tags: ['Audiences'],
    summary: 'How many users a rule selects now, before saving or exporting it',
    security: bearerAuth,
    request: { body: { content: { 'application/json': { schema: SegmentEstimateRequest } }, required: true } },
    responses: { 200: json('The size', SegmentEstimateSchema), ...errors },
  }),
  async (c) => {
    const { rule } = c.req.valid('json');
    assertArtistAccess(c.get('principal'), rule.artist_id);
    const { members, asOf } = await segmentSnapshot(createDb(c.env.DB), rule, Date.now());
    return c.json({ artist_id: rule.artist_id, size: members.length, as_of: asOf }, 200);
  },
);

segments.openapi(
  createRoute({
    ...allow('admin', 'marketer'),
    method: 'post',
    path: '/',
    operationId: 'createSegment',
    tags: ['Audiences'],
    summary: 'Save a segment',
    security: bearerAuth,
    request: { body: { content: { 'application/json': { schema: SegmentCreateRequest } }, required: true } },
    responses: { 201: json('The saved segment with its current size', SegmentSchema), ...errors },
  }),
  async (c) => {
    const { name, rule } = c.req.valid('json');
    const principal = c.get('principal');
    assertArtistAccess(principal, rule.artist_id);
    const db = createDb(c.env.DB);
    const row: SegmentRow = {
      id: `seg_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`,
      name,
      artistId: rule.artist_id,
      rule: JSON.stringify(rule),
      createdBy: principal.keyId,
      createdAt: Date.now(),
    };
    await insertSegment(db, row);
    const { members, asOf } = await segmentSnapshot(db, rule, Date.now());
    return c.json({ ...present(row), size: members.length, as_of: asOf }, 201);
  },
);

segments.openapi(
  createRoute({
    ...allow('admin', 'marketer'),
    method: 'get',
    path: '/',
    operationId: 'listSegments',
    tags: ['Audiences'],
    summary: 'Segments over the roster of the key',
    security: bearerAuth,
    responses: { 200: json('Newest first', SegmentListSchema), 403: notMarketer },
  }),
  async (c) => {
    const principal = c.get('principal');
    const rows = await listSegments(createDb(c.env.DB), principal.role === 'admin' ? null : principal.artistIds);
    return c.json({ segments: rows.map(present) }, 200);
  },
);

segments.openapi(
  createRoute({
    ...allow('admin', 'marketer'),
    method: 'get',
    path: '/{id}',
    operationId: 'getSegment',
    tags: ['Audiences'],
    summary: 'One segment with its current size',
    security: bearerAuth,
    request: { params: SegmentParams },
    responses: { 200: json('The segment', SegmentSchema), 403: notMarketer, 404: notFound },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const segment = await openSegment(c.get('principal'), db, c.req.valid('param').id);
    const view = present(segment);
    const { members, asOf } = await segmentSnapshot(db, view.rule, Date.now());
    return c.json({ ...view, size: members.length, as_of: asOf }, 200);
  },
);

segments.openapi(
  createRoute({
    ...allow('admin', 'marketer'),
    method: 'get',
    path: '/{id}/export',
    operationId: 'exportSegment',
    tags: ['Audiences'],
    summary: 'CSV of the members’ pseudonymous ids (stable per deployment; raw user ids never leave)',
    security: bearerAuth,
    request: { params: SegmentParams },
    responses: {
      200: { description: 'text/csv with one column, pseudonymous_id', content: { 'text/csv': { schema: z.string() } } },
      403: notMarketer,
      404: notFound,
    },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const segment = await openSegment(c.get('principal'), db, c.req.valid('param').id);
    const { members, asOf } = await segmentSnapshot(db, present(segment).rule, Date.now());
    const ids = await Promise.all(members.map((u) => pseudonymousId(u, c.env.ADMIN_TOKEN)));
    return csvResponse(
      toCsv(
        ids.sort().map((pseudonymous_id) => ({ pseudonymous_id })),
        ['pseudonymous_id'],
      ),
      `${segment.id}.csv`,
      asOf,
    );
  },
);
