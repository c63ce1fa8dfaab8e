import type { Db } from './client.ts';

/** Settings key holding the version of the model that serves traffic. */
export const ACTIVE_MODEL_KEY = 'active_model';

export interface ModelRow {
  version: string;
  /** manifest.json as uploaded (text). */
  manifest: string;
  uploadedAt: number;
  activatedAt: number | null;
}

/** Registers an uploaded bundle; false when the version exists already (versions are immutable). */
export async function insertModel(db: Db, version: string, manifest: string, now: number): Promise<boolean> {
  const res = await db.$client
    .prepare('INSERT INTO models (version, manifest, uploaded_at) VALUES (?1, ?2, ?3) ON CONFLICT (version) DO NOTHING')
    .bind(version, manifest, now)
    .run();
  return res.meta.changes === 1;
}

export async function findModel(db: Db, version: string): Promise<ModelRow | null> {
  return db.$client
    .prepare('SELECT version, manifest, uploaded_at AS uploadedAt, activated_at AS activatedAt FROM models WHERE version = ?1')
    .bind(version)
    .first<ModelRow>();
}

/** Every registered version, newest upload first. */
export async function listModels(db: Db): Promise<ModelRow[]> {
  const { results } = await db.$client
    .prepare(
      'SELECT version, manifest, uploaded_at AS uploadedAt, activated_at AS activatedAt FROM models ORDER BY uploaded_at DESC, version DESC',
    )
    .all<ModelRow>();
  return results;
}

export async function activeModelVersion(db: Db): Promise<string | null> {
  const row = await db.$client.prepare('SELECT value FROM settings WHERE key = ?1').bind(ACTIVE_MODEL_KEY).first<{ value: string }>();
  return row?.value ?? null;
}

/** Points traffic at `version` and stamps its activation time, atomically. */
export async function activateModel(db: Db, version: string, now: number): Promise<void> {
  const d1 = db.$client;
  await d1.batch([
    d1
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .bind(ACTIVE_MODEL_KEY, version, now),
    d1.prepare('UPDATE models SET activated_at = ?2 WHERE version = ?1').bind(version, now),
  ]);
}
