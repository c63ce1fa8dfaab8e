import { analyseUpload } from '../audio/analyse.ts';
import { createDb } from '../db/client.ts';
import type { QueueConsumer } from './job.ts';

/** The queue of wrangler.toml's `[[queues.consumers]]` this consumer reads. */
export const AUDIO_QUEUE = 'backbeat-audio';

/** What `PUT /v1/tracks/{id}/audio` sends: the upload to analyse (a newer upload makes it stale). */
export interface AudioMessage {
  track_id: string;
  object_key: string;
}

/**
 * Uploaded audio, one file per message (max_batch_size 1: an analysis takes seconds of CPU). A file
 * that cannot be decoded is marked failed with its reason and acknowledged, never retried; only R2
 * or D1 failures are retried, and D1 counts the attempts, so an upload that keeps crashing the
 * isolate ends `failed` too (worker/audio/analyse.ts).
 */
export const analyseAudio: QueueConsumer = {
  name: 'analyse-audio',
  async consume(batch, { env, log }) {
    const db = createDb(env.DB);
    for (const message of batch.messages) {
      const body = message.body as Partial<AudioMessage> | null;
      if (typeof body?.track_id !== 'string' || typeof body.object_key !== 'string') {
        log.warn('malformed audio message dropped', { messageId: message.id });
        message.ack();
        continue;
      }
      try {
        const outcome = await analyseUpload(env, db, body.track_id, body.object_key, Date.now());
        if (outcome.kind === 'failed') log.warn('audio analysis failed', { trackId: body.track_id, ...outcome });
        else log.info('audio analysed', { trackId: body.track_id, ...outcome });
        message.ack();
      } catch (err) {
        log.error('audio analysis could not run; retrying', err, { trackId: body.track_id });
        message.retry({ delaySeconds: 30 });
      }
    }
  },
};
