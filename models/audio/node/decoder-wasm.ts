/**
 * The wasm of the three decoder packages as `.wasm` files, for workerd (which cannot compile wasm
 * from bytes, only instantiate modules imported at deploy time). The packages ship their wasm only
 * embedded in their JavaScript (compressed); this builds one decoder of each in Node and keeps the
 * bytes it hands to `WebAssembly.compile`. Rerun after updating a decoder package:
 *
 *   npx node models/audio/node/decoder-wasm.ts [OUT_DIR]    (default worker/audio/wasm)
 *
 * test/models/audio/decoder-wasm.test.ts fails while the files differ from the installed packages.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecoderModules } from '../../../audio/decode/wasm.ts';

export type WasmDecoderFormat = keyof DecoderModules;

/** File name of each format's module in worker/audio/wasm/. */
export const DECODER_WASM_FILES: Record<WasmDecoderFormat, string> = {
  mp3: 'mpg123-decoder.wasm',
  flac: 'flac-decoder.wasm',
  'ogg-vorbis': 'ogg-vorbis-decoder.wasm',
};

async function construct(format: WasmDecoderFormat): Promise<{ ready: Promise<unknown>; free(): void }> {
  switch (format) {
    case 'mp3':
      return new (await import('mpg123-decoder')).MPEGDecoder();
    case 'flac':
      return new (await import('@wasm-audio-decoders/flac')).FLACDecoder();
    case 'ogg-vorbis':
      return new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder();
  }
}

/**
 * The decoder's wasm binary: the largest module compiled while one decoder is built (the other is
 * the packages' small inflate helper). Only the first decoder of a format in a process compiles.
 */
export async function extractDecoderWasm(format: WasmDecoderFormat): Promise<Uint8Array> {
  // Node's types here have no WebAssembly namespace (lib ES2023 without DOM).
  const wasmApi = (globalThis as unknown as { WebAssembly: { compile: (bytes: ArrayBuffer | ArrayBufferView) => Promise<unknown> } })
    .WebAssembly;
  const compile = wasmApi.compile;
  const seen: Uint8Array[] = [];
  wasmApi.compile = (bytes) => {
    const view = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
    seen.push(view.slice());
    return compile(bytes);
  };
  try {
    const decoder = await construct(format);
    await decoder.ready;
    decoder.free();
  } finally {
    wasmApi.compile = compile;
  }
  const wasm = seen.sort((a, b) => b.length - a.length)[0];
  if (!wasm) throw new Error(`no ${format} wasm was compiled: a ${format} decoder was already built in this process`);
  return wasm;
}

if (import.meta.main) {
  const out = process.argv[2] ?? 'worker/audio/wasm';
  mkdirSync(out, { recursive: true });
  for (const [format, file] of Object.entries(DECODER_WASM_FILES) as [WasmDecoderFormat, string][]) {
    const wasm = await extractDecoderWasm(format);
    writeFileSync(join(out, file), wasm);
    console.log(`${join(out, file)}: ${wasm.length} bytes`);
  }
}
