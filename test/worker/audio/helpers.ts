import { env, exports } from 'cloudflare:workers';
import { findTrackAudio } from '../../../worker/db/audio.ts';
import { createDb } from '../../../worker/db/client.ts';
import { QUEUE_CONSUMERS } from '../../../worker/jobs/index.ts';
import { ADMIN, api } from '../helpers.ts';

/** PUTs raw bytes as a track's audio file (the shared `api` helper sends JSON). */
export function uploadAudio(trackId: string, bytes: Uint8Array, init: { key?: string; contentType?: string | null } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${init.key ?? ADMIN}` };
  if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'audio/wav';
  return exports.default.fetch(`http://backbeat.test/v1/tracks/${trackId}/audio`, { method: 'PUT', headers, body: bytes });
}

/** Creates tracks of one artist through the catalogue API. */
export async function putTracks(artistId: string, ids: string[]): Promise<void> {
  const tracks = ids.map((id) => ({
    id,
    title: `Track ${id}`,
    artist: { id: artistId, name: `Artist ${artistId}` },
    duration_ms: 200_000,
  }));
  const res = await api('/v1/tracks', { method: 'PUT', body: { tracks } });
  if (res.status !== 200) throw new Error(`PUT /v1/tracks failed: ${res.status} ${await res.text()}`);
}

/**
 * Runs the registered audio consumer on the track's current upload, as the queue would deliver it
 * (the message the route sent names the same object key). Returns how the message was settled.
 */
export async function drainAudio(trackId: string, attempts = 1): Promise<{ acked: number; retried: number }> {
  const row = await findTrackAudio(createDb(env.DB), trackId);
  if (!row) throw new Error(`no upload for ${trackId}`);
  const calls = { acked: 0, retried: 0 };
  const message = {
    id: `m-${trackId}`,
    timestamp: new Date(),
    attempts,
    body: { track_id: trackId, object_key: row.objectKey },
    ack: () => void calls.acked++,
    retry: () => void calls.retried++,
  };
  const batch = { queue: 'backbeat-audio', messages: [message], ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown>;
  const consumer = QUEUE_CONSUMERS['backbeat-audio'];
  if (!consumer) throw new Error('no consumer for backbeat-audio');
  await consumer.consume(batch, { env, now: Date.now(), log: { info() {}, warn() {}, error() {} } });
  return calls;
}

export interface TrackAudioBody {
  status: 'pending' | 'analysed' | 'failed';
  reason?: string;
  features?: { tempo: number; key: number; mode: number; duration_ms: number; loudness: number; channels: number; sample_rate: number };
  analysed_at?: string;
  bytes: number;
  format: string;
  sha256: string;
}

export async function audioStatus(trackId: string, key = ADMIN): Promise<TrackAudioBody> {
  const res = await api(`/v1/tracks/${trackId}/audio`, { key });
  if (res.status !== 200) throw new Error(`GET audio of ${trackId}: ${res.status} ${await res.text()}`);
  return (await res.json()) as TrackAudioBody;
}
