/**
 * Editorial playlists: editors (and admins) create, order, schedule and publish them; a published
 * playlist with a slot blends its best-fitting track into personalised lists of its target. App keys
 * read published playlists (to show them to listeners); every other role gets 403. Editors read no
 * artist's analytics: their numbers are their playlists'.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DAY_MS } from '../../contract/events.ts';
import { allow, isEditor, openEditorialPlaylist } from '../auth/scope.ts';
import { createDb, type Db } from '../db/client.ts';
import {
  type EditorialRow,
  type EditorialStatus,
  editorialStats,
  insertEditorial,
  listEditorial,
  trackLabels,
  updateEditorial,
} from '../db/editorial.ts';
import { forgetSlottedPlaylists } from '../editorial/slots.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, validationError } from '../errors.ts';
import {
  EditorialCreateRequest,
  EditorialListSchema,
  EditorialParams,
  EditorialPlaylistSchema,
  EditorialStatsQuery,
  EditorialStatsSchema,
  EditorialUpdateRequest,
} from '../schemas/editorial.ts';
import { errorResponse } from '../schemas/error.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const editorial = newRouter();

const _EDITORS = ['editor', 'admin'] as const;
const _READERS = ['editor', 'admin', 'app'] as const;
/** Rejects track ids missing from the catalogue, each named by its path (`tracks[3]`). */
async function checkTracks(db: Db, ids: readonly string[]): Promise<void> {
  const found = await trackLabels(db, ids);
  const issues = ids.flatMap((id, k) =>
    found.has(id) ? [] : [{ path: `json.tracks[${k}]`, code: 'unknown_track', message: `No track with id ${id} in the catalogue` }],
  );
  if (issues.length > 0) throw validationError(issues, 'Some tracks are not in the catalogue');
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function render(db: Db, p: EditorialRow) {
  const labels = await trackLabels(
    db,
    p.tracks.map((t) => t.track_id),
  );
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    status: p.status,
    tracks: p.tracks.map((t, position) => {
      const l = labels.get(t.track_id);
      return {
        position,
        track_id: t.track_id,
        title: l?.title ?? null,
        artist_id: l?.artistId ?? null,
        artist_name: l?.artistName ?? null,
        added_at: new Date(t.added_at).toISOString(),
      };
    }),
    target: p.target as z.output<typeof EditorialPlaylistSchema>['target'],
    slot: p.slot,
    starts_at: iso(p.startsAt),
    ends_at: iso(p.endsAt),
    created_at: new Date(p.createdAt).toISOString(),
    updated_at: new Date(p.updatedAt).toISOString(),
    published_at: iso(p.publishedAt),
  };
}

const one = { description: 'The playlist', content: { 'application/json': { schema: EditorialPlaylistSchema } } };
const denied = errorResponse('Only editor and admin keys edit editorial playlists (app keys read published ones)');
const missing = errorResponse('No such playlist (or, for an app key, not published: the same answer)');
const params = EditorialParams;

editorial.openapi(
  createRoute({
    ...allow('editor', 'admin', 'app'),
    method: 'get',
    path: '/',
    operationId: 'listEditorialPlaylists',
    tags: ['Editorial'],
    summary: 'List editorial playlists',
    description:
      'Editors and admins see drafts and published playlists (`status` filters; `archived` lists the archive); app keys see published ones.',
    security: bearerAuth,
    request: { query: z.object({ status: z.enum(['draft', 'published', 'archived']).optional() }) },
    responses: {
      200: { description: 'The playlists', content: { 'application/json': { schema: EditorialListSchema } } },
      400: errorResponse('Invalid status'),
      403: denied,
    },
  }),
  async (c) => {
    const principal = c.get('principal');
    const { status } = c.req.valid('query');
    const statuses: EditorialStatus[] = !isEditor(principal) ? ['published'] : status ? [status] : ['draft', 'published'];
    const db = createDb(c.env.DB);
    const rows = (await listEditorial(db, statuses)).filter((r) => isEditor(principal) || r.status === 'published');
    return c.json({ playlists: await Promise.all(rows.map((r) => render(db, r))) }, 200);
  },
);

editorial.openapi(
  createRoute({
    ...allow('editor', 'admin'),
    method: 'post',
    path: '/',
    operationId: 'createEditorialPlaylist',
    tags: ['Editorial'],
    summary: 'Create an editorial playlist (a draft)',
    description:
      'Tracks in order, a target (genres, countries, activities) and a slot (position policy). It reaches listeners once published, within `starts_at`…`ends_at`.',
    security: bearerAuth,
    request: { body: { content: { 'application/json': { schema: EditorialCreateRequest } }, required: true } },
    responses: {
      201: { ...one, description: 'Created' },
      400: errorResponse('Invalid playlist (details.issues name the field)'),
      403: denied,
    },
  }),
  async (c) => {
    const principal = c.get('principal');
    const b = c.req.valid('json');
    const db = createDb(c.env.DB);
    await checkTracks(db, b.tracks);
    const now = Date.now();
    const row: EditorialRow = {
      id: `ed_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`,
      title: b.title,
      description: b.description,
      status: 'draft',
      tracks: b.tracks.map((track_id) => ({ track_id, added_at: now })),
      target: b.target,
      slot: b.slot,
      startsAt: b.starts_at ? Date.parse(b.starts_at) : null,
      endsAt: b.ends_at ? Date.parse(b.ends_at) : null,
      createdBy: principal.keyId,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
    };
    await insertEditorial(db, row);
    forgetSlottedPlaylists();
    return c.json(await render(db, row), 201);
  },
);

editorial.openapi(
  createRoute({
    ...allow('editor', 'admin', 'app'),
    method: 'get',
    path: '/{id}',
    operationId: 'getEditorialPlaylist',
    tags: ['Editorial'],
    summary: 'Read one editorial playlist',
    security: bearerAuth,
    request: { params },
    responses: { 200: one, 403: denied, 404: missing },
  }),
  async (c) => {
    const principal = c.get('principal');
    const db = createDb(c.env.DB);
    return c.json(await render(db, await openEditorialPlaylist(principal, db, c.req.valid('param').id)), 200);
  },
);

editorial.openapi(
  createRoute({
    ...allow('editor', 'admin'),
    method: 'patch',
    path: '/{id}',
    operationId: 'updateEditorialPlaylist',
    tags: ['Editorial'],
    summary: 'Edit, reorder or reschedule an editorial playlist',
    description:
      'Fields left out keep their value. `tracks` is the whole list in its new order: tracks already in it keep the time they were added, new ones are added now. A published playlist stays published.',
    security: bearerAuth,
    request: { params, body: { content: { 'application/json': { schema: EditorialUpdateRequest } }, required: true } },
    responses: { 200: one, 400: errorResponse('Invalid change (details.issues name the field)'), 403: denied, 404: missing },
  }),
  async (c) => {
    const principal = c.get('principal');
    const db = createDb(c.env.DB);
    const row = await openEditorialPlaylist(principal, db, c.req.valid('param').id);
    const b = c.req.valid('json');
    const now = Date.now();
    if (b.tracks) await checkTracks(db, b.tracks);
    const addedAt = new Map(row.tracks.map((t) => [t.track_id, t.added_at]));
    const next: EditorialRow = {
      ...row,
      title: b.title ?? row.title,
      description: b.description ?? row.description,
      tracks: b.tracks ? b.tracks.map((track_id) => ({ track_id, added_at: addedAt.get(track_id) ?? now })) : row.tracks,
      target: b.target ?? row.target,
      slot: b.slot === undefined ? row.slot : b.slot,
      startsAt: b.starts_at === undefined ? row.startsAt : b.starts_at === null ? null : Date.parse(b.starts_at),
      endsAt: b.ends_at === undefined ? row.endsAt : b.ends_at === null ? null : Date.parse(b.ends_at),
      updatedAt: now,
    };
    if (next.startsAt !== null && next.endsAt !== null && next.endsAt <= next.startsAt) {
      throw validationError([{ path: 'json.ends_at', code: 'custom', message: 'ends_at must be after starts_at' }]);
    }
    await updateEditorial(db, next);
    forgetSlottedPlaylists();
    return c.json(await render(db, next), 200);
  },
);

/** Moves a playlist to `status` (publishing stamps published_at). */
async function setStatus(c: Context<AppEnv>, id: string, status: EditorialStatus) {
  const principal = c.get('principal');
  const db = createDb(c.env.DB);
  const row = await openEditorialPlaylist(principal, db, id);
  const now = Date.now();
  const next: EditorialRow = { ...row, status, updatedAt: now, publishedAt: status === 'published' ? now : row.publishedAt };
  if (status === 'published' && row.tracks.length === 0) {
    throw new ApiError(409, 'playlist_empty', 'An editorial playlist needs at least one track to be published');
  }
  await updateEditorial(db, next);
  forgetSlottedPlaylists();
  return c.json(await render(db, next), 200);
}

for (const [action, status, summary] of [
  ['publish', 'published', 'Publish: listeners (and its slot) see it'],
  ['unpublish', 'draft', 'Unpublish: back to a draft, its slot stops'],
  ['archive', 'archived', 'Archive: out of every list, numbers kept'],
] as const) {
  editorial.openapi(
    createRoute({
      ...allow('editor', 'admin'),
      method: 'post',
      path: `/{id}/${action}`,
      operationId: `${action}EditorialPlaylist`,
      tags: ['Editorial'],
      summary,
      security: bearerAuth,
      request: { params },
      responses: { 200: one, 403: denied, 404: missing, 409: errorResponse('An empty playlist cannot be published') },
    }),
    async (c) => setStatus(c, c.req.valid('param').id, status),
  );
}

editorial.openapi(
  createRoute({
    ...allow('editor', 'admin'),
    method: 'get',
    path: '/{id}/stats',
    operationId: 'getEditorialStats',
    tags: ['Editorial'],
    summary: "An editorial playlist's numbers",
    description:
      'Over the last `days` days: listeners reached (served one of its tracks in a slot, or who played from it), slot impressions, and the streams, saves and skips that came from it (plays at a slot’s rec_id and position, or with context.playlist_id = the playlist), in total and per track.',
    security: bearerAuth,
    request: { params, query: EditorialStatsQuery },
    responses: {
      200: { description: 'The numbers', content: { 'application/json': { schema: EditorialStatsSchema } } },
      400: errorResponse('Invalid days'),
      403: denied,
      404: missing,
    },
  }),
  async (c) => {
    const principal = c.get('principal');
    const db = createDb(c.env.DB);
    const row = await openEditorialPlaylist(principal, db, c.req.valid('param').id);
    const to = Date.now();
    const from = to - c.req.valid('query').days * DAY_MS;
    const { listeners, tracks } = await editorialStats(db, row.id, from, to);
    const sum = (k: 'impressions' | 'streams' | 'saves' | 'skips' | 'starts') => tracks.reduce((a, t) => a + t[k], 0);
    const starts = sum('starts');
    return c.json(
      {
        playlist_id: row.id,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        listeners_reached: listeners,
        impressions: sum('impressions'),
        streams: sum('streams'),
        saves: sum('saves'),
        skips: sum('skips'),
        skip_rate: starts > 0 ? sum('skips') / starts : null,
        tracks: tracks.map((t) => ({
          track_id: t.trackId,
          impressions: t.impressions,
          streams: t.streams,
          saves: t.saves,
          skips: t.skips,
        })),
      },
      200,
    );
  },
);
