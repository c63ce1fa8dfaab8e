import { ApiError } from '../errors.ts';

export const ROLES = ['admin', 'app', 'artist', 'marketer'] as const;
export type Role = (typeof ROLES)[number];

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

/** True when the principal may read data of `artistId`. Admin and app keys read the whole catalogue. */
export function canReadArtist(principal: Principal, artistId: string): boolean {
  if (principal.role === 'admin' || principal.role === 'app') return true;
  return principal.artistIds.includes(artistId);
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
