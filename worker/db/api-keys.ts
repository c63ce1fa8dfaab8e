import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Role } from '../schemas/roles.ts';
import type { Db } from './client.ts';
import { apiKeys } from './schema.ts';

export interface ApiKeyRow {
  id: string;
  role: Role;
  name: string;
  artistIds: string[];
  createdAt: number;
  revokedAt: number | null;
}

function toRow(r: typeof apiKeys.$inferSelect): ApiKeyRow {
  return {
    id: r.id,
    role: r.role,
    name: r.name,
    artistIds: JSON.parse(r.artistIds) as string[],
    createdAt: r.createdAt,
    revokedAt: r.revokedAt,
  };
}

export async function insertApiKey(
  db: Db,
  args: { id: string; hash: string; role: Role; name: string; artistIds: string[]; now: number },
): Promise<ApiKeyRow> {
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: args.id,
      hash: args.hash,
      role: args.role,
      name: args.name,
      artistIds: JSON.stringify(args.artistIds),
      createdAt: args.now,
    })
    .returning();
  if (!row) throw new Error('insert into api_keys returned no row');
  return toRow(row);
}

/** The active (not revoked) key with this id, with its hash for verification. */
export async function findActiveKey(db: Db, id: string): Promise<(ApiKeyRow & { hash: string }) | null> {
  const row = await db.query.apiKeys.findFirst({ where: and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)) });
  return row ? { ...toRow(row), hash: row.hash } : null;
}

export async function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  const rows = await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(toRow);
}

/** Marks the key revoked; returns null when there is no such key. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Db, id: string, now: number): Promise<ApiKeyRow | null> {
  const existing = await db.query.apiKeys.findFirst({ where: eq(apiKeys.id, id) });
  if (!existing) return null;
  if (existing.revokedAt !== null) return toRow(existing);
  const [row] = await db.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, id)).returning();
  return row ? toRow(row) : null;
}
