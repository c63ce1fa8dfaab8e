import type { Role } from '../schemas/roles.ts';

export { ROLES, type Role } from '../schemas/roles.ts';

/** Who is calling: the key's id, its role and the artists it is bound to. */
export interface Principal {
  keyId: string;
  role: Role;
  /** Bound artist ids for artist and marketer keys; empty for admin and app keys. */
  artistIds: readonly string[];
}
