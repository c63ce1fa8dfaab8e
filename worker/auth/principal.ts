import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import type { Role } from './roles.ts';

export { ROLES, type Role } from './roles.ts';

/** Who is calling: the key's id, its role and the artists it is bound to. */
export interface Principal {
  keyId: string;
  role: Role;
  /** Bound artist ids for artist and marketer keys; empty for admin and app keys. */
  artistIds: readonly string[];
}

/** Throws 403 unless the principal's role is one of `roles`. */
export function requireRole(principal: Principal, ...roles: Role[]): void {
  if (!roles.includes(principal.role)) {
    throw new ApiError(403, 'forbidden', `This endpoint needs a key with role ${roles.join(' or ')}; yours is ${principal.role}`);
  }
}

/** Middleware form of requireRole, for a router whose every route needs one of `roles`. */
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

/**
 * A resource of an artist outside the key's binding (a track, segment or campaign looked up by id) is
 * answered exactly as a missing one: `notFound` is thrown for both, so a bound key cannot probe which
 * ids exist.
 */
export function assertFoundFor<T>(
  principal: Principal,
  resource: T | null,
  artistsOf: (r: T) => readonly (string | null)[],
  notFound: () => Error,
): T {
  if (resource === null || !canReadArtists(principal, artistsOf(resource))) throw notFound();
  return resource;
}

/**
 * Throws 403 unless the principal may read `artistId`. Scoping always goes through the key's binding,
 * never through the id in the URL alone.
 */
export function assertArtistAccess(principal: Principal, artistId: string): void {
  if (!canReadArtist(principal, artistId)) {
    throw new ApiError(403, 'forbidden', `This key is not bound to artist ${artistId}`);
  }
}
