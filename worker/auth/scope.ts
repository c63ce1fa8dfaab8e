import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { artistExists, artistOfTrack } from '../db/analytics.ts';
import { campaignArtists, findCampaign, type ScopedCampaignRow } from '../db/campaigns.ts';
import type { Db } from '../db/client.ts';
import { type EditorialRow, findEditorial } from '../db/editorial.ts';
import { findSegment, type SegmentRow } from '../db/segments.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import type { Principal, Role } from './principal.ts';

/**
 * Access, in one place. Two rules hold for every route:
 * - **Role:** every router is guarded by `requireRoles(…)` before any handler runs; a route that needs
 *   a narrower role than its router adds its own `requireRoles` in its route's `middleware`.
 * - **Scope:** a resource is read through the key's binding, never through the id in the URL alone.
 *   An artist the URL names answers 403 outside the binding, whether or not it exists. A resource
 *   looked up by its own id (segment, campaign, track) answers outside the binding exactly as a
 *   missing one (404), so a bound key cannot probe which ids exist. The `open…` helpers below are
 *   the only way a route opens one.
 */

/** Throws 403 unless the principal's role is one of `roles`. */
export function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!roles.includes(principal.role)) {
    throw new ApiError(403, 'forbidden', `This endpoint needs a key with role ${roles.join(' or ')}; yours is ${principal.role}`);
  }
}

/** Middleware form of requireRole: a router's (or one route's) gate, run before any handler. */
export const requireRoles = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    requireRole(c.get('principal'), ...roles);
    await next();
  });

/** True when the principal may read data of `artistId`. Admin and app keys read the whole catalogue. */
export function canReadArtist(principal: Principal, artistId: string): boolean {
  if (principal.role === 'admin' || principal.role === 'app') return true;
  return principal.artistIds.includes(artistId);
}

/**
 * True when the principal may read data of every artist a resource touches (a campaign: its own
 * artist, its segment's and its track's). `null` (a segment or track no longer stored) is readable
 * only by unbound keys.
 */
export function canReadArtists(principal: Principal, artistIds: readonly (string | null)[]): boolean {
  return artistIds.every((id) => (id === null ? principal.role === 'admin' || principal.role === 'app' : canReadArtist(principal, id)));
}

/** The resource when it exists and every artist it touches is inside the binding; `notFound` otherwise. */
export function assertFoundFor<T>(
  principal: Principal,
  resource: T | null,
  artistsOf: (r: T) => readonly (string | null)[],
  notFound: () => Error,
): T {
  if (resource === null || !canReadArtists(principal, artistsOf(resource))) throw notFound();
  return resource;
}

/** Throws 403 unless the principal may read `artistId` (checked before any lookup). */
export function assertArtistAccess(principal: Principal, artistId: string): void {
  if (!canReadArtist(principal, artistId)) {
    throw new ApiError(403, 'forbidden', `This key is not bound to artist ${artistId}`);
  }
}

/** An artist the URL names: 403 outside the key's binding (before any lookup), 404 when missing. */
export async function openArtist(principal: Principal, db: Db, artistId: string): Promise<void> {
  assertArtistAccess(principal, artistId);
  if (!(await artistExists(db, artistId))) throw new ApiError(404, 'artist_not_found', `No artist with id ${artistId}`);
}

/** The one answer for a missing segment and for a segment of an artist outside the key's roster. */
export const segmentNotFound = (id: string) => new ApiError(404, 'segment_not_found', `No segment with id ${id}`);

/** A segment whose artist is inside the binding; 404 otherwise (segments and campaigns both open segments here). */
export async function openSegment(principal: Principal, db: Db, id: string): Promise<SegmentRow> {
  return assertFoundFor(
    principal,
    await findSegment(db, id),
    (s) => [s.artistId],
    () => segmentNotFound(id),
  );
}

/**
 * A campaign whose artist, segment's artist and track's artist are all inside the binding; 404
 * otherwise, so a bound key can neither read a campaign over a foreign audience nor tell foreign
 * campaigns from missing ones.
 */
export async function openCampaign(principal: Principal, db: Db, id: string): Promise<ScopedCampaignRow> {
  return assertFoundFor(
    principal,
    await findCampaign(db, id),
    campaignArtists,
    () => new ApiError(404, 'campaign_not_found', `No campaign with id ${id}`),
  );
}

/** A track whose artist is inside the binding (admin and app keys: any track); 404 otherwise. */
export async function openTrack(
  principal: Principal,
  db: Db,
  id: string,
): Promise<{ artistId: string; title: string; durationMs: number }> {
  return assertFoundFor(
    principal,
    await artistOfTrack(db, id),
    (t) => [t.artistId],
    () => new ApiError(404, 'track_not_found', `No track with id ${id}`),
  );
}

/** Editors and admins see every editorial playlist; other keys published ones only. */
export const isEditor = (p: Principal) => p.role === 'editor' || p.role === 'admin';

/** An editorial playlist this key may see: editors and admins see every one, app keys published ones only; 404 otherwise. */
export async function openEditorialPlaylist(principal: Principal, db: Db, id: string): Promise<EditorialRow> {
  const row = await findEditorial(db, id);
  if (!row || (!isEditor(principal) && row.status !== 'published')) {
    throw new ApiError(404, 'playlist_not_found', `No editorial playlist with id ${id}`);
  }
  return row;
}

/**
 * A route's role gate, spread into its `createRoute({...})`: the middleware that enforces it before
 * the request is validated, and `x-roles` in the OpenAPI document that says who may call it (the
 * scope test calls every operation with every other role and expects 403).
 *
 * @example createRoute({ ...allow('admin', 'marketer'), method: 'get', path: '/', … })
 */
export function allow<const R extends readonly Role[]>(...roles: R) {
  const middleware: [MiddlewareHandler<AppEnv>] = [requireRoles(...roles)];
  return { middleware, 'x-roles': roles };
}
