import { createRoute, z } from '@hono/zod-openapi';
import { AudioDecodeError, MAX_AUDIO_UPLOAD_BYTES } from '../../audio/decode/index.ts';
import { type StoredAudio, storeAudio } from '../audio/store.ts';
import { allow, openTrack } from '../auth/scope.ts';
import { findTrackAudio, recordAudioUpload, type TrackAudioRow } from '../db/audio.ts';
import { createDb } from '../db/client.ts';
import { ApiError, validationError, zodIssues } from '../errors.ts';
import type { AudioMessage } from '../jobs/analyse-audio.ts';
import { AUDIO_CONTENT_TYPES, TrackAudioSchema } from '../schemas/audio.ts';
import { errorResponse } from '../schemas/error.ts';
import { Id } from '../schemas/event.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

/** Audio files of tracks and their analysis, mounted at /v1/tracks beside the catalogue. */
export const trackAudio = newRouter();

const ROLES = ['app', 'admin', 'artist'] as const;
const MIB = MAX_AUDIO_UPLOAD_BYTES / 1024 / 1024;
const IdParam = z.object({ id: Id });

function present(row: TrackAudioRow) {
  return {
    status: row.status,
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.features === null ? {} : { features: row.features }),
    ...(row.analysedAt === null ? {} : { analysed_at: new Date(row.analysedAt).toISOString() }),
    uploaded_at: new Date(row.uploadedAt).toISOString(),
    bytes: row.bytes,
    format: row.format,
    sha256: row.sha256,
  };
}

const { middleware: uploadGate, ...uploadRoute } = createRoute({
  ...allow(...ROLES),
  method: 'put',
  path: '/{id}/audio',
  operationId: 'uploadTrackAudio',
  tags: ['Catalogue'],
  summary: 'Upload a track’s audio file for analysis',
  description: `The raw file as the body (WAV, MP3, FLAC or Ogg Vorbis, up to ${MIB} MiB, with a Content-Length; the format is read from the first bytes). It is stored, then analysed in the background (tempo, key, mode, loudness, energy, danceability, acousticness, instrumentalness), and the analysed features replace the track's. Artist keys upload for their own artists' tracks. Re-sending the same file while it is pending or analysed changes nothing.`,
  security: bearerAuth,
  request: {
    params: IdParam,
    body: {
      required: true,
      content: Object.fromEntries(AUDIO_CONTENT_TYPES.map((t) => [t, { schema: z.string().openapi({ format: 'binary' }) }])),
    },
  },
  responses: {
    202: {
      description: 'Stored; the analysis is queued (or done already for this very file)',
      content: { 'application/json': { schema: TrackAudioSchema } },
    },
    400: errorResponse('An invalid track id, or an empty body'),
    404: errorResponse('No such track, or a track of an artist outside the binding of the key (the same answer)'),
    411: errorResponse('No Content-Length'),
    413: errorResponse(`Over ${MIB} MiB`),
    415: errorResponse('Not WAV, MP3, FLAC or Ogg Vorbis (by Content-Type or by the first bytes)'),
  },
});
// The gate runs in front of the streaming handler below; the document gets the rest (with its x-roles).
trackAudio.openAPIRegistry.registerPath(uploadRoute);

trackAudio.put('/:id/audio', ...uploadGate, async (c) => {
  const parsed = IdParam.safeParse({ id: c.req.param('id') });
  if (!parsed.success) throw validationError(zodIssues(parsed.error, 'param'));
  const { id } = parsed.data;
  const db = createDb(c.env.DB);
  await openTrack(c.get('principal'), db, id);
  const type = (c.req.header('content-type') ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
  if (!(AUDIO_CONTENT_TYPES as readonly string[]).includes(type)) {
    throw new ApiError(415, 'unsupported_media_type', `Content-Type ${type} is not audio this API reads (WAV, MP3, FLAC or Ogg Vorbis)`);
  }
  const declared = c.req.header('content-length');
  if (declared === undefined) throw new ApiError(411, 'length_required', 'Send the file with a Content-Length');
  const length = Number(declared);
  if (length > MAX_AUDIO_UPLOAD_BYTES) {
    throw new ApiError(413, 'payload_too_large', `The file is ${length} bytes; at most ${MIB} MiB are accepted`);
  }
  const body = c.req.raw.body;
  if (!body || !(length > 0)) throw new ApiError(400, 'empty_body', 'The body is empty: send the audio file');
  const previous = await findTrackAudio(db, id);
  let stored: StoredAudio;
  try {
    stored = await storeAudio(c.env.AUDIO, id, body, length);
  } catch (err) {
    if (err instanceof AudioDecodeError) throw new ApiError(415, 'unsupported_media_type', err.message);
    throw err;
  }
  if (previous?.objectKey === stored.objectKey && previous.status !== 'failed') return c.json(present(previous), 202);
  await recordAudioUpload(db, { trackId: id, ...stored, now: Date.now() });
  await c.env.AUDIO_QUEUE.send({ track_id: id, object_key: stored.objectKey } satisfies AudioMessage);
  // The replaced file is no longer referenced; a message still queued for it finds the row moved on.
  if (previous && previous.objectKey !== stored.objectKey) c.executionCtx.waitUntil(c.env.AUDIO.delete(previous.objectKey));
  return c.json(present((await findTrackAudio(db, id))!), 202);
});

trackAudio.openapi(
  createRoute({
    ...allow(...ROLES),
    method: 'get',
    path: '/{id}/audio',
    operationId: 'getTrackAudio',
    tags: ['Catalogue'],
    summary: 'The analysis of a track’s uploaded audio',
    description: '`pending` until the background analysis ran; then `analysed` with the features, or `failed` with a reason.',
    security: bearerAuth,
    request: { params: IdParam },
    responses: {
      200: { description: 'The latest upload and its analysis', content: { 'application/json': { schema: TrackAudioSchema } } },
      404: errorResponse('No such track, a track outside the binding of the key (the same answer), or no audio uploaded'),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const db = createDb(c.env.DB);
    await openTrack(c.get('principal'), db, id);
    const row = await findTrackAudio(db, id);
    if (!row) throw new ApiError(404, 'audio_not_found', `No audio was uploaded for track ${id}`);
    return c.json(present(row) as z.infer<typeof TrackAudioSchema>, 200);
  },
);
