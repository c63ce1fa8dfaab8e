/**
 * Decoding behind one interface: the format is detected from the first bytes (magic numbers, never
 * the file name), the matching streaming decoder is created, and `analyseStream` feeds each decoded
 * block to the analyser as it arrives, so neither the file nor its PCM is ever held whole.
 * No Node APIs here: the chunks can come from `fs.createReadStream`, a `fetch` body or an R2 object.
 */
import { type AnalyserStats, AudioAnalyser, type AudioAnalysis } from '../analyser.ts';
import { AudioDecodeError, type AudioFormat, type StreamDecoder } from './types.ts';
import { createFlacDecoder, createMp3Decoder, createVorbisDecoder, type DecoderModules } from './wasm.ts';
import { WavDecoder } from './wav.ts';

export { AudioDecodeError, type AudioFormat, type PcmBlock, type StreamDecoder } from './types.ts';
export type { DecoderModules } from './wasm.ts';
export { WavDecoder } from './wav.ts';

/** Largest audio file accepted for upload and analysis (50 MiB: about 5 minutes of 16-bit 48 kHz stereo WAV, hours of MP3). */
export const MAX_AUDIO_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Bytes `detectFormat` wants to see (fewer is fine at the end of a file). */
export const SNIFF_BYTES = 64;

const ascii = (b: Uint8Array, at: number, s: string) => {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};

/** The format of a file from its first bytes, or an AudioDecodeError saying what it is and that it is not supported. */
export function detectFormat(head: Uint8Array): AudioFormat {
  if (head.length === 0) throw new AudioDecodeError('empty', 'the file is empty');
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return 'wav';
  if (ascii(head, 0, 'RIFX') || ascii(head, 0, 'RF64'))
    throw new AudioDecodeError('unsupported_format', 'big-endian (RIFX) and RF64 WAV files are not supported');
  if (ascii(head, 0, 'fLaC')) return 'flac';
  if (ascii(head, 0, 'OggS')) {
    if (ascii(head, 29, 'vorbis')) return 'ogg-vorbis';
    if (ascii(head, 28, 'OpusHead'))
      throw new AudioDecodeError('unsupported_format', 'Ogg Opus is not supported (WAV, MP3, FLAC or Ogg Vorbis)');
    if (ascii(head, 29, 'FLAC')) throw new AudioDecodeError('unsupported_format', 'FLAC inside Ogg is not supported (use native .flac)');
    throw new AudioDecodeError('unsupported_format', 'an Ogg stream that is not Vorbis is not supported');
  }
  if (ascii(head, 0, 'ID3')) return 'mp3';
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) {
    if ((head[1]! & 0x06) === 0)
      throw new AudioDecodeError('unsupported_format', 'AAC (ADTS) is not supported (WAV, MP3, FLAC or Ogg Vorbis)');
    return 'mp3';
  }
  if (ascii(head, 4, 'ftyp'))
    throw new AudioDecodeError('unsupported_format', 'MP4/M4A/AAC is not supported (WAV, MP3, FLAC or Ogg Vorbis)');
  if (ascii(head, 0, 'FORM')) throw new AudioDecodeError('unsupported_format', 'AIFF is not supported (WAV, MP3, FLAC or Ogg Vorbis)');
  throw new AudioDecodeError('unsupported_format', 'not a WAV, MP3, FLAC or Ogg Vorbis file (unrecognised first bytes)');
}

/** A streaming decoder for `format`; `modules` are precompiled wasm decoders (required in workerd, see wasm.ts). */
export async function createDecoder(format: AudioFormat, modules: DecoderModules = {}): Promise<StreamDecoder> {
  switch (format) {
    case 'wav':
      return new WavDecoder();
    case 'mp3':
      return createMp3Decoder(modules.mp3);
    case 'flac':
      return createFlacDecoder(modules.flac);
    case 'ogg-vorbis':
      return createVorbisDecoder(modules['ogg-vorbis']);
  }
}

export interface AnalyseStreamOptions {
  /** Reject inputs larger than this many bytes (default: no limit; uploads use MAX_AUDIO_UPLOAD_BYTES). */
  maxBytes?: number;
  /** Called after each input chunk with the bytes read so far. */
  onProgress?: (bytesRead: number) => void;
  /** Precompiled wasm decoders (workerd cannot compile them from bytes); Node needs none. */
  modules?: DecoderModules;
  /** Called once the format is known, before any byte is decoded (the Worker refuses a codec it cannot run here). */
  onFormat?: (format: AudioFormat) => void;
}

export interface StreamAnalysis {
  format: AudioFormat;
  bytes: number;
  features: AudioAnalysis;
  /** Frame counts and retained sizes at the end (`retainedValues` does not grow with the duration). */
  stats: AnalyserStats;
}

/**
 * Decodes a file given as a sequence of byte chunks and analyses it on the way.
 * Throws AudioDecodeError for unsupported, corrupt, empty or too-large input.
 */
export async function analyseStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: AnalyseStreamOptions = {},
): Promise<StreamAnalysis> {
  const analyser = new AudioAnalyser();
  let decoder: StreamDecoder | null = null;
  let head: Uint8Array | null = new Uint8Array(0);
  let bytes = 0;
  const open = (format: AudioFormat) => {
    options.onFormat?.(format);
    return createDecoder(format, options.modules);
  };
  const feed = async (blocks: Awaited<ReturnType<StreamDecoder['decode']>>) => {
    for (const b of blocks) analyser.push(b.channels, b.sampleRate);
  };
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      if (options.maxBytes !== undefined && bytes > options.maxBytes) {
        throw new AudioDecodeError('too_large', `the file is larger than the limit of ${Math.round(options.maxBytes / 1024 / 1024)} MiB`);
      }
      options.onProgress?.(bytes);
      let data = chunk;
      if (head) {
        const joined: Uint8Array = new Uint8Array(head.length + chunk.length);
        joined.set(head);
        joined.set(chunk, head.length);
        if (joined.length < SNIFF_BYTES) {
          head = joined;
          continue;
        }
        decoder = await open(detectFormat(joined));
        head = null;
        data = joined;
      }
      await feed(await decoder!.decode(data));
    }
    if (head) {
      decoder = await open(detectFormat(head));
      await feed(await decoder.decode(head));
    }
    await feed(await decoder!.flush());
    if (analyser.stats().inputSamples === 0) throw new AudioDecodeError('corrupt', 'the file holds no audio samples');
    const stats = analyser.stats();
    return { format: decoder!.format, bytes, features: analyser.finish(), stats };
  } finally {
    decoder?.free();
  }
}
