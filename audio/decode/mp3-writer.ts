/**
 * Writes silent MPEG-1 Layer III, for tests: mono 44.1 kHz 128 kbit/s frames whose side information
 * and main data are all zero (every granule decodes to silence). It exercises the MP3 decoder's wasm
 * where no encoder is at hand; it carries no tempo or key.
 */

const FRAME_BYTES = 417; // 144 · 128 000 / 44 100, no padding
const FRAME_SAMPLES = 1152;

export function encodeSilentMp3(seconds: number): Uint8Array {
  const frames = Math.ceil((seconds * 44_100) / FRAME_SAMPLES);
  const out = new Uint8Array(frames * FRAME_BYTES);
  // sync, MPEG-1, Layer III, no CRC | 128 kbit/s, 44.1 kHz, no padding | mono
  for (let f = 0; f < frames; f++) out.set([0xff, 0xfb, 0x90, 0xc0], f * FRAME_BYTES);
  return out;
}
