import { z } from '@hono/zod-openapi';

/** Content types `PUT /v1/tracks/{id}/audio` takes; the file's first bytes decide the format either way. */
export const AUDIO_CONTENT_TYPES = [
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/vnd.wave',
  'audio/mpeg',
  'audio/mp3',
  'audio/flac',
  'audio/x-flac',
  'audio/ogg',
  'application/octet-stream',
] as const;

export const AudioFormatSchema = z.enum(['wav', 'mp3', 'flac', 'ogg-vorbis']);

export const AnalysedAudioSchema = z
  .object({
    tempo: z.number().openapi({ description: 'Beats per minute, 0 without a pulse' }),
    beat_strength: z.number().openapi({ description: 'Normalised onset autocorrelation at the beat period, 0 … 1' }),
    key: z.number().int().openapi({ description: 'Tonic pitch class, C = 0 … B = 11; -1 when nothing is pitched' }),
    mode: z.union([z.literal(0), z.literal(1)]).openapi({ description: '1 major, 0 minor' }),
    key_confidence: z.number(),
    loudness: z.number().openapi({ description: 'Integrated loudness, LUFS (BS.1770-4)' }),
    energy: z.number(),
    danceability: z.number(),
    acousticness: z.number(),
    instrumentalness: z.number(),
    duration_ms: z.number().int(),
    timbre: z.array(z.number()).openapi({ description: '13 MFCC means then 13 MFCC standard deviations' }),
    sample_rate: z.number().int(),
    channels: z.number().int(),
  })
  .openapi('AnalysedAudio', {
    description:
      'The analyser of audio/ (README there): energy, danceability, acousticness and instrumentalness are documented heuristics.',
  });

export const TrackAudioSchema = z
  .object({
    status: z.enum(['pending', 'analysed', 'failed']),
    reason: z
      .string()
      .optional()
      .openapi({ description: 'Why it failed: corrupt, unsupported_format, empty, too_large, codec_unavailable_in_worker, …' }),
    features: AnalysedAudioSchema.optional(),
    analysed_at: z.iso.datetime().optional(),
    uploaded_at: z.iso.datetime(),
    bytes: z.number().int(),
    format: AudioFormatSchema,
    sha256: z.string(),
  })
  .openapi('TrackAudio');
