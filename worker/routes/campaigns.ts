import { createRoute, z } from '@hono/zod-openapi';
import { csvResponse, toCsv, wantsCsv } from '../analytics/csv.ts';
import { liftOf } from '../analytics/lift.ts';
import { allow, canReadArtists, openCampaign, openSegment, openTrack } from '../auth/scope.ts';
import { isHoldout } from '../campaigns/holdout.ts';
import { type CampaignRow, campaignArtists, campaignOutcomes, insertCampaign, listCampaigns, memberCounts } from '../db/campaigns.ts';
import { createDb, type Db } from '../db/client.ts';
import { CampaignCreateRequest, CampaignListSchema, CampaignParams, CampaignReportSchema, CampaignSchema } from '../schemas/campaigns.ts';
import { errorResponse } from '../schemas/error.ts';
import { SegmentRule } from '../schemas/segment-rules.ts';
import { segmentMembers } from '../segments/evaluate.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

/** Campaigns: boost a roster track for a segment, with a holdout to measure lift. */
export const campaigns = newRouter();

const json = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
const forbidden = errorResponse('Not a marketer or admin key');
const notFound = errorResponse(
  'No such campaign, or one whose artist, segment or track is outside the roster of the key (the same answer)',
);

async function present(db: Db, row: CampaignRow, now: number) {
  const audience = await memberCounts(db, row.id);
  return {
    id: row.id,
    name: row.name,
    artist_id: row.artistId,
    track_id: row.trackId,
    segment_id: row.segmentId,
    starts_at: new Date(row.startsAt).toISOString(),
    ends_at: new Date(row.endsAt).toISOString(),
    holdout_share: row.holdoutShare,
    status: now < row.startsAt ? ('scheduled' as const) : now < row.endsAt ? ('running' as const) : ('ended' as const),
    audience,
    created_at: new Date(row.createdAt).toISOString(),
  };
}

campaigns.openapi(
  createRoute({
    ...allow('admin', 'marketer'),
    method: 'post',
    path: '/',
    operationId: 'createCampaign',
    tags: ['Campaigns'],
    summary: 'Boost a track for a segment over a period, with a randomised holdout',
    description:
      'The segment is evaluated once, now, and its members are frozen and split: a stable hash of campaign and user puts ' +
      '`holdout_share` of them in the holdout, who are served as if there were no campaign.',
    security: bearerAuth,
    request: { body: { content: { 'application/json': { schema: CampaignCreateRequest } }, required: true } },
    responses: {
      201: json('The campaign with its audience split', CampaignSchema),
      400: errorResponse('Invalid body (details.issues[].path names the field)'),
      403: forbidden,
      404: errorResponse('No such segment or track, or one of an artist outside the roster of the key (the same answer)'),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const principal = c.get('principal');
    const db = createDb(c.env.DB);
    // Both the audience and the boosted track must be inside the roster (a foreign one is "not found").
    const segment = await openSegment(principal, db, body.segment_id);
    const track = await openTrack(principal, db, body.track_id);
    const now = Date.now();
    const id = `cmp_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const users = await segmentMembers(db, SegmentRule.parse(JSON.parse(segment.rule)), now);
    const row: CampaignRow = {
      id,
      name: body.name,
      artistId: track.artistId,
      trackId: body.track_id,
      segmentId: segment.id,
      startsAt: Date.parse(body.starts_at),
      endsAt: Date.parse(body.ends_at),
      holdoutShare: body.holdout_share,
      createdBy: principal.keyId,
      createdAt: now,
    };
    await insertCampaign(
      db,
      row,
      users.map((userId) => ({ userId, treated: !isHoldout(id, userId, body.holdout_share) })),
    );
    return c.json(await present(db, row, now), 201);
  },
);

campaigns.openapi(
  createRoute({
    ...allow('admin', 'marketer'),
    method: 'get',
    path: '/',
    operationId: 'listCampaigns',
    tags: ['Campaigns'],
    summary: 'Campaigns over the roster of the key (artist, segment and track all inside it)',
    security: bearerAuth,
    responses: { 200: json('Newest first', CampaignListSchema), 403: forbidden },
  }),
  async (c) => {
    const principal = c.get('principal');
    const db = createDb(c.env.DB);
    // Only campaigns the key may read in full: the query filters on all three artists, and so does this.
    const rows = (await listCampaigns(db, principal.role === 'admin' ? null : principal.artistIds)).filter((r) =>
      canReadArtists(principal, campaignArtists(r)),
    );
    const now = Date.now();
    return c.json({ campaigns: await Promise.all(rows.map((r) => present(db, r, now))) }, 200);
  },
);

campaigns.openapi(
  createRoute({
    ...allow('admin', 'marketer'),
    method: 'get',
    path: '/{id}',
    operationId: 'getCampaign',
    tags: ['Campaigns'],
    summary: 'One campaign',
    security: bearerAuth,
    request: { params: CampaignParams },
    responses: { 200: json('The campaign', CampaignSchema), 403: forbidden, 404: notFound },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const row = await openCampaign(c.get('principal'), db, c.req.valid('param').id);
    return c.json(await present(db, row, Date.now()), 200);
  },
);

campaigns.openapi(
  createRoute({
    ...allow('admin', 'marketer'),
    method: 'get',
    path: '/{id}/report',
    operationId: 'getCampaignReport',
    tags: ['Campaigns'],
    summary: 'Treated vs holdout: streams and saves of the boosted track per user, with 95 % intervals',
    security: bearerAuth,

    request: { params: CampaignParams, query: z.object({ format: z.enum(['json', 'csv']).optional() }) },
    responses: {
      200: {
        description: 'The lift so far; CSV gives one row per metric',
        content: { 'application/json': { schema: CampaignReportSchema }, 'text/csv': { schema: z.string() } },
      },
      403: forbidden,
      404: notFound,
    },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const row = await openCampaign(c.get('principal'), db, c.req.valid('param').id);
    const to = Math.min(Date.now(), row.endsAt);
    const from = Math.min(row.startsAt, to);
    const [treated, holdout] = await campaignOutcomes(db, row, from, to);
    if (!treated || !holdout) throw new Error('campaignOutcomes must return both groups');
    const withSignificance = (l: ReturnType<typeof liftOf>) => ({
      ...l,
      significant: l.ci_low !== null && l.ci_high !== null && (l.ci_low > 0 || l.ci_high < 0),
    });
    const streams = liftOf(treated.streams, holdout.streams);
    const saves = liftOf(treated.saves, holdout.saves);
    if (wantsCsv(c)) {
      const rows = [
        { metric: 'streams_per_user', ...withSignificance(streams) },
        { metric: 'saves_per_user', ...withSignificance(saves) },
      ];
      const columns = ['metric', 'treated', 'holdout', 'difference', 'ci_low', 'ci_high', 'relative', 'significant'] as const;
      return csvResponse(toCsv(rows, columns), `${row.id}-report.csv`);
    }
    return c.json(
      {
        campaign_id: row.id,
        track_id: row.trackId,
        measured_from: new Date(from).toISOString(),
        measured_to: new Date(to).toISOString(),
        groups: [
          {
            group: 'treated' as const,
            users: treated.streams.n,
            impressions: treated.impressions,
            streams_per_user: streams.treated,
            saves_per_user: saves.treated,
          },
          {
            group: 'holdout' as const,
            users: holdout.streams.n,
            impressions: holdout.impressions,
            streams_per_user: streams.holdout,
            saves_per_user: saves.holdout,
          },
        ],
        lift: { streams_per_user: withSignificance(streams), saves_per_user: withSignificance(saves) },
      },
      200,
    );
  },
);
