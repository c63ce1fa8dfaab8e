import type { UserInput } from '../schemas/user.ts';
import type { Db } from './client.ts';

/**
 * Creates or updates listener profiles in one statement (json_each). Fields left out keep their
 * stored value, so an app can send the time zone and the country at different times.
 */
export async function upsertUsers(db: Db, batch: readonly UserInput[], now: number): Promise<void> {
  if (batch.length === 0) return;
  const rows = batch.map((u) => ({ id: u.id, timezone: u.timezone ?? null, country: u.country ?? null }));
  await db.$client
    .prepare(
      `INSERT INTO users (id, timezone, country, first_seen_at)
       SELECT value ->> '$.id', value ->> '$.timezone', value ->> '$.country', ?2 FROM json_each(?1) WHERE true
       ON CONFLICT (id) DO UPDATE SET timezone = coalesce(excluded.timezone, users.timezone),
                                      country = coalesce(excluded.country, users.country)`,
    )
    .bind(JSON.stringify(rows), now)
    .run();
}

export interface UserRow {
  id: string;
  timezone: string | null;
  country: string | null;
  firstSeenAt: number;
}

export async function findUser(db: Db, id: string): Promise<UserRow | null> {
  return db.$client
    .prepare('SELECT id, timezone, country, first_seen_at AS firstSeenAt FROM users WHERE id = ?1')
    .bind(id)
    .first<UserRow>();
}
