/**
 * MP3, FLAC and Ogg Vorbis through the wasm-audio-decoders family (MIT): `mpg123-decoder`,
 * `@wasm-audio-decoders/flac`, `@wasm-audio-decoders/ogg-vorbis`. Each is fed the file chunk by chunk
 * (the libraries parse frames and pages across chunk boundaries themselves) and imported only when a
 * file of its format turns up.
 *
 * These packages compile their WebAssembly from bytes embedded in the JavaScript at run time
 * (`WebAssembly.compile`), which Cloudflare Workers forbid: inside the Worker a decoder has to be
 * built from a `.wasm` module imported at deploy time instead (see models/audio/README.md).
 */
import { AudioDecodeError, type AudioFormat, type PcmBlock, type StreamDecoder } from './types.ts';

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

/** Copies out of the decoder's wasm heap (its views are reused by the next call). */
function toBlocks(d: Decoded, state: { errors: string[]; samples: number }): PcmBlock[] {
  for (const e of d.errors) if (state.errors.length < 5) state.errors.push(e.message);
  if (d.samplesDecoded === 0 || d.channelData.length === 0) return [];
  state.samples += d.samplesDecoded;
  return [{ channels: d.channelData.map((c) => c.slice(0, d.samplesDecoded)), sampleRate: d.sampleRate }];
}

function finalCheck(format: AudioFormat, state: { errors: string[]; samples: number }): void {
  if (state.samples === 0) {
    const why = state.errors.length ? `: ${state.errors.join('; ')}` : '';
    throw new AudioDecodeError('corrupt', `no audio could be decoded from this ${format.toUpperCase()} data${why}`);
  }
}

export async function createMp3Decoder(): Promise<StreamDecoder> {
  const { MPEGDecoder } = await import('mpg123-decoder');
  const decoder = new MPEGDecoder();
  await decoder.ready;
  const state = { errors: [] as string[], samples: 0 };
  return {
    format: 'mp3',
    decode: async (bytes) => toBlocks(decoder.decode(bytes), state),
    flush: async () => {
      finalCheck('mp3', state);
      return [];
    },
    free: () => decoder.free(),
  };
}

export async function createFlacDecoder(): Promise<StreamDecoder> {
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const decoder = new FLACDecoder();
  await decoder.ready;
  const state = { errors: [] as string[], samples: 0 };
  return {
    format: 'flac',
    decode: async (bytes) => toBlocks(await decoder.decode(bytes), state),
    flush: async () => {
      const rest = toBlocks(await decoder.flush(), state);
      finalCheck('flac', state);
      return rest;
    },
    free: () => decoder.free(),
  };
}

export async function createVorbisDecoder(): Promise<StreamDecoder> {
  const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
  const decoder = new OggVorbisDecoder();
  await decoder.ready;
  const state = { errors: [] as string[], samples: 0 };
  return {
    format: 'ogg-vorbis',
    decode: async (bytes) => toBlocks(await decoder.decode(bytes), state),
    flush: async () => {
      const rest = toBlocks(await decoder.flush(), state);
      finalCheck('ogg-vorbis', state);
      return rest;
    },
    free: () => decoder.free(),
  };
}
