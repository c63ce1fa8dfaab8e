/**
 * The MP3, FLAC and Ogg Vorbis decoders' wasm, imported as precompiled `WebAssembly.Module`s
 * (wrangler.toml's CompiledWasm rule): workerd refuses to compile wasm from bytes at run time, which
 * is what the decoder packages do by default. The files are extracted from the installed packages by
 * `npx node models/audio/node/decoder-wasm.ts`; test/models/audio/decoder-wasm.test.ts fails when
 * they no longer match the packages' JavaScript.
 */
import type { DecoderModules } from '../../audio/decode/index.ts';
import flac from './wasm/flac-decoder.wasm';
import mp3 from './wasm/mpg123-decoder.wasm';
import vorbis from './wasm/ogg-vorbis-decoder.wasm';

export const DECODER_MODULES: DecoderModules = { mp3, flac, 'ogg-vorbis': vorbis };
