/**
 * What the Worker relies on, checked in Node where it is quick to see: given precompiled modules, the
 * decoders build without compiling any wasm at run time (workerd refuses that). `WebAssembly.compile`
 * throws for the whole file, so a decoder that still compiled from its embedded bytes would fail.
 * test/worker/audio runs the same decoders inside workerd.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFlac } from '../../../audio/decode/flac-writer.ts';
import { analyseStream, type DecoderModules } from '../../../audio/decode/index.ts';
import { encodeSilentMp3 } from '../../../audio/decode/mp3-writer.ts';
import { chordProgression } from '../../../audio/synth.ts';
import { DECODER_WASM_FILES, type WasmDecoderFormat } from '../../../models/audio/node/decoder-wasm.ts';

const wasmApi = (globalThis as unknown as { WebAssembly: { compile: (bytes: Uint8Array) => Promise<object> } }).WebAssembly;
const compile = wasmApi.compile;
const modules: DecoderModules = {};
let compiled = 0;

beforeAll(async () => {
  for (const [format, file] of Object.entries(DECODER_WASM_FILES) as [WasmDecoderFormat, string][]) {
    modules[format] = await compile(new Uint8Array(readFileSync(new URL(`../../../worker/audio/wasm/${file}`, import.meta.url))));
  }
  wasmApi.compile = () => {
    compiled++;
    return Promise.reject(new Error('compiling wasm from bytes is disallowed in this test'));
  };
});
afterAll(() => {
  wasmApi.compile = compile;
});

describe('decoders from precompiled modules', () => {
  it('Should decode FLAC and find its key without compiling wasm', async () => {
    const pcm = chordProgression({ tonic: 9, mode: 0, seconds: 6, sampleRate: 44_100, stereo: true });
    const bytes = encodeFlac(pcm.channels, pcm.sampleRate);
    const chunks = [bytes.subarray(0, 10_001), bytes.subarray(10_001)];
    const { format, features } = await analyseStream(chunks, { modules });
    expect({ format, key: features.key, mode: features.mode, duration_ms: features.duration_ms }).toEqual({
      format: 'flac',
      key: 9,
      mode: 0,
      duration_ms: 6000,
    });
    expect(compiled).toBe(0);
  });

  it('Should decode MP3 without compiling wasm', async () => {
    const { format, features } = await analyseStream([encodeSilentMp3(2)], { modules });
    expect(format).toBe('mp3');
    expect(Math.abs(features.duration_ms - 2000)).toBeLessThan(60);
    expect(compiled).toBe(0);
  });

  it('Should build the Ogg Vorbis decoder without compiling wasm (a broken stream is corrupt, not a compile failure)', async () => {
    const ogg = new Uint8Array(4000);
    ogg.set([0x4f, 0x67, 0x67, 0x53]);
    ogg.set([0x01, ...Array.from('vorbis', (c) => c.charCodeAt(0))], 28);
    await expect(analyseStream([ogg], { modules })).rejects.toMatchObject({ code: 'corrupt' });
    expect(compiled).toBe(0);
  });
});
