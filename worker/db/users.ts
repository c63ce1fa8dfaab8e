import { DAY_MS } from '../../contract/events.ts';
import type { UserInput } from '../schemas/user.ts';
import type { Db } from './client.ts';
import { MARK_DAYS_UPSERT } from './rollups.ts';

// A new time zone moves the listener's streams on the listening clock: the days of their streams are
// marked, before the change, for a recompute from the raw rows.
const MARK_REZONED_USER_DAYS = `WITH rezoned AS (
    SELECT u.id FROM json_each(?1) j JOIN users u ON u.id = j.value ->> '$.id'
    WHERE j.value ->> '$.timezone' IS NOT NULL AND u.timezone IS NOT j.value ->> '$.timezone')
  INSERT INTO analytics_dirty_days (day, version, marked_at)
  SELECT DISTINCT e.ts / ${DAY_MS}, 1, ?2 FROM rezoned JOIN events e ON e.user_id = rezoned.id WHERE true
  ${MARK_DAYS_UPSERT}`;

/**
 * Creates or updates listener profiles in one batch (json_each). Fields left out keep their stored
 * value, so an app can send the time zone and the country at different times.
 */
export async function upsertUsers(db: Db, batch: readonly UserInput[], now: number): Promise<void> {
  if (batch.length === 0) return;
  const rows = batch.map((u) => ({ id: u.id, timezone: u.timezone ?? null, country: u.country ?? null }));
  const d1 = db.$client;
  await d1.batch([
    d1.prepare(MARK_REZONED_USER_DAYS).bind(JSON.stringify(rows), now),
    d1
      .prepare(
        `INSERT INTO users (id, timezone, country, first_seen_at)
       SELECT value ->> '$.id', value ->> '$.timezone', value ->> '$.country', ?2 FROM json_each(?1) WHERE true
       ON CONFLICT (id) DO UPDATE SET timezone = coalesce(excluded.timezone, users.timezone),
                                      country = coalesce(excluded.country, users.country)`,
      )
      .bind(JSON.stringify(rows), now),
  ]);
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
