/**
 * MP3, FLAC and Ogg Vorbis through the wasm-audio-decoders family (MIT): `mpg123-decoder`,
 * `@wasm-audio-decoders/flac`, `@wasm-audio-decoders/ogg-vorbis`. Each is fed the file chunk by chunk
 * (the libraries parse frames and pages across chunk boundaries themselves) and imported only when a
 * file of its format turns up.
 *
 * By default these packages compile their WebAssembly from bytes embedded in their JavaScript
 * (`WebAssembly.compile`), which workerd forbids. Given a precompiled `WebAssembly.Module` (the
 * Worker imports the `.wasm` files of worker/audio/wasm/ as modules), a decoder is built from it
 * instead and nothing is compiled at run time: the libraries read it from their inner decoder's
 * static `module`, the hook their own web-worker mode uses.
 */
import { AudioDecodeError, type AudioFormat, type PcmBlock, type StreamDecoder } from './types.ts';

/**
 * A compiled `WebAssembly.Module`. Typed as an object because the trainer's Node types have no
 * WebAssembly namespace; the libraries only pass it on to `WebAssembly.instantiate`.
 */
export type WasmModule = object;

/** Precompiled decoder modules, by format (the Worker passes them; Node compiles from the packages). */
export type DecoderModules = Partial<Record<Exclude<AudioFormat, 'wav'>, WasmModule>>;

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

/** A constructor the libraries read a precompiled module from (`Decoder.module`). */
type ModuleHolder = { module?: WasmModule };

const inner = new WeakMap<object, ModuleHolder>();

/**
 * The inner decoder of a FLAC or Vorbis wrapper class. The wrapper's constructor hands it to a
 * symbol-keyed method; a probe subclass overrides those methods to catch it without building it
 * (building one would start the forbidden compile).
 */
function innerDecoderOf(Outer: abstract new () => object): ModuleHolder {
  const known = inner.get(Outer);
  if (known) return known;
  let found: ModuleHolder | undefined;
  const Probe = class extends (Outer as new () => object) {};
  for (const s of Object.getOwnPropertySymbols(Outer.prototype)) {
    Object.defineProperty(Probe.prototype, s, {
      value(arg: unknown) {
        if (typeof arg === 'function') found = arg as ModuleHolder;
      },
    });
  }
  new Probe();
  if (!found) throw new Error(`cannot reach the inner decoder of ${Outer.name} to give it a precompiled module`);
  inner.set(Outer, found);
  return found;
}

/**
 * Imports a decoder package. Each also exports a web-worker variant whose dependency
 * (`@eshaz/web-worker`, browser build) reads the global `Worker` when it is first evaluated; workerd
 * has none, so a placeholder that refuses to be built stands in while the package loads. The
 * variant is never used here.
 */
async function importDecoderPackage<T>(load: () => Promise<T>): Promise<T> {
  const g = globalThis as { Worker?: unknown };
  if (g.Worker !== undefined) return load();
  g.Worker = class NoWebWorkers {
    constructor() {
      throw new Error('web workers are not available in this runtime');
    }
  };
  try {
    return await load();
  } finally {
    delete g.Worker;
  }
}

export async function createMp3Decoder(precompiled?: WasmModule): Promise<StreamDecoder> {
  const { MPEGDecoder } = await importDecoderPackage(() => import('mpg123-decoder'));
  if (precompiled) (MPEGDecoder as unknown as ModuleHolder).module = precompiled;
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

export async function createFlacDecoder(precompiled?: WasmModule): Promise<StreamDecoder> {
  const { FLACDecoder } = await importDecoderPackage(() => import('@wasm-audio-decoders/flac'));
  if (precompiled) innerDecoderOf(FLACDecoder).module = precompiled;
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

export async function createVorbisDecoder(precompiled?: WasmModule): Promise<StreamDecoder> {
  const { OggVorbisDecoder } = await importDecoderPackage(() => import('@wasm-audio-decoders/ogg-vorbis'));
  if (precompiled) innerDecoderOf(OggVorbisDecoder).module = precompiled;
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
