/**
 * The Worker decodes MP3, FLAC and Ogg Vorbis with the `.wasm` files of worker/audio/wasm/, extracted
 * from the decoder packages (models/audio/node/decoder-wasm.ts). A package update that changes its
 * wasm without a re-extraction would pair new JavaScript glue with old wasm: caught here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECODER_WASM_FILES, extractDecoderWasm, type WasmDecoderFormat } from '../../../models/audio/node/decoder-wasm.ts';

describe('decoder wasm files', () => {
  for (const [format, file] of Object.entries(DECODER_WASM_FILES) as [WasmDecoderFormat, string][]) {
    it(`Should keep worker/audio/wasm/${file} identical to the wasm the installed ${format} decoder compiles`, async () => {
      const stored = new Uint8Array(readFileSync(new URL(`../../../worker/audio/wasm/${file}`, import.meta.url)));
      const installed = await extractDecoderWasm(format);
      expect(stored.length).toBe(installed.length);
      expect(Buffer.compare(stored, installed)).toBe(0);
    });
  }
});
