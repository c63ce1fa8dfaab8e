/**
 * Uploaded audio and its analysis (`track_audio`, schema-audio.ts), and the one write that puts the
 * analysed features into the catalogue. Every state change is keyed by the upload's object key, so a
 * message about a file that a newer upload replaced changes nothing.
 */
import { AUDIO_FEATURES } from '../../contract/audio-features.ts';
import type { Db } from './client.ts';

export type AudioStatus = 'pending' | 'analysed' | 'failed';

export interface TrackAudioRow {
  trackId: string;
  objectKey: string;
  sha256: string;
  format: string;
  bytes: number;
  status: AudioStatus;
  reason: string | null;
  /** The analyser's output as stored (JSON-parsed), when analysed. */
  features: Record<string, unknown> | null;
  attempts: number;
  uploadedAt: number;
  analysedAt: number | null;
}

export async function findTrackAudio(db: Db, trackId: string): Promise<TrackAudioRow | null> {
  const r = await db.$client.prepare('SELECT * FROM track_audio WHERE track_id = ?1').bind(trackId).first<Record<string, unknown>>();
  if (!r) return null;
  return {
    trackId: String(r.track_id),
    objectKey: String(r.object_key),
    sha256: String(r.sha256),
    format: String(r.format),
    bytes: Number(r.bytes),
    status: r.status as AudioStatus,
    reason: (r.reason as string | null) ?? null,
    features: r.features === null ? null : (JSON.parse(String(r.features)) as Record<string, unknown>),
    attempts: Number(r.attempts),
    uploadedAt: Number(r.uploaded_at),
    analysedAt: r.analysed_at === null ? null : Number(r.analysed_at),
  };
}

/** Records a new upload as pending (replacing the track's previous one and its analysis). */
export async function recordAudioUpload(
  db: Db,
  u: { trackId: string; objectKey: string; sha256: string; format: string; bytes: number; now: number },
): Promise<void> {
  await db.$client
    .prepare(
      `INSERT INTO track_audio (track_id, object_key, sha256, format, bytes, status, reason, features, attempts, uploaded_at, analysed_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 'pending', NULL, NULL, 0, ?6, NULL)
       ON CONFLICT (track_id) DO UPDATE SET object_key = excluded.object_key, sha256 = excluded.sha256, format = excluded.format,
         bytes = excluded.bytes, status = 'pending', reason = NULL, features = NULL, attempts = 0,
         uploaded_at = excluded.uploaded_at, analysed_at = NULL`,
    )
    .bind(u.trackId, u.objectKey, u.sha256, u.format, u.bytes, u.now)
    .run();
}

/** Counts one more analysis attempt of this upload; returns the new count, or null when the upload is no longer current. */
export async function startAudioAttempt(db: Db, trackId: string, objectKey: string): Promise<number | null> {
  const r = await db.$client
    .prepare(
      `UPDATE track_audio SET attempts = attempts + 1 WHERE track_id = ?1 AND object_key = ?2 AND status = 'pending' RETURNING attempts`,
    )
    .bind(trackId, objectKey)
    .first<{ attempts: number }>();
  return r ? Number(r.attempts) : null;
}

export async function markAudioFailed(db: Db, trackId: string, objectKey: string, reason: string, now: number): Promise<void> {
  await db.$client
    .prepare(`UPDATE track_audio SET status = 'failed', reason = ?3, analysed_at = ?4 WHERE track_id = ?1 AND object_key = ?2`)
    .bind(trackId, objectKey, reason, now)
    .run();
}

/**
 * The analysis, and the track's audio-feature columns, in one atomic batch. `catalogue` holds the
 * columns the signal estimates (others keep their values). `updated_at` moves as a `PUT /v1/tracks`
 * moves it: the serving catalogue's delta read and its next full build (content embedding, similar
 * neighbours) pick the new features up exactly as they pick up an upload.
 */
export async function markAudioAnalysed(
  db: Db,
  a: { trackId: string; objectKey: string; features: Record<string, unknown>; catalogue: Partial<Record<string, number>>; now: number },
): Promise<void> {
  const cols = AUDIO_FEATURES.filter((f) => a.catalogue[f] !== undefined);
  const d1 = db.$client;
  const current = `EXISTS (SELECT 1 FROM track_audio WHERE track_id = ?1 AND object_key = ?2)`;
  await d1.batch([
    d1
      .prepare(
        `UPDATE tracks SET ${cols.map((c, i) => `${c} = ?${i + 4}`).join(', ')}${cols.length ? ', ' : ''}updated_at = ?3
         WHERE id = ?1 AND ${current}`,
      )
      .bind(a.trackId, a.objectKey, a.now, ...cols.map((c) => a.catalogue[c] as number)),
    d1
      .prepare(
        `UPDATE track_audio SET status = 'analysed', reason = NULL, features = ?3, analysed_at = ?4 WHERE track_id = ?1 AND object_key = ?2`,
      )
      .bind(a.trackId, a.objectKey, JSON.stringify(a.features), a.now),
  ]);
}
