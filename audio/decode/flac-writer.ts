/**
 * Writes PCM as a FLAC file, for tests: 16-bit, fixed 4096-sample blocks, every subframe VERBATIM
 * (stored, not predicted), so the file is about as large as 16-bit WAV but is real FLAC that any
 * decoder reads. With no ffmpeg at hand, it is how the FLAC decoder's wasm is exercised end to end.
 */

const BLOCK = 4096;

/** Frame-header sample-rate codes. Frames carry their rate: decoders that see only frames need it there. */
const RATE_CODES: Readonly<Record<number, number>> = { 8000: 4, 16000: 5, 22050: 6, 24000: 7, 32000: 8, 44100: 9, 48000: 10, 96000: 11 };

function crc8(bytes: Uint8Array, end: number): number {
  let crc = 0;
  for (let i = 0; i < end; i++) {
    crc ^= bytes[i]!;
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

function crc16(bytes: Uint8Array, end: number): number {
  let crc = 0;
  for (let i = 0; i < end; i++) {
    crc ^= bytes[i]! << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** FLAC's UTF-8-like coding of the frame number (up to 3 bytes here: 65 535 frames, ~100 minutes at 44.1 kHz). */
function frameNumber(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x800) return [0xc0 | (n >> 6), 0x80 | (n & 0x3f)];
  return [0xe0 | (n >> 12), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)];
}

export function encodeFlac(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  const rateCode = RATE_CODES[sampleRate];
  if (rateCode === undefined) throw new Error(`encodeFlac writes ${Object.keys(RATE_CODES).join(', ')} Hz, not ${sampleRate}`);
  const nch = channels.length;
  const frames = channels[0]?.length ?? 0;
  const parts: Uint8Array[] = [];
  const head = new Uint8Array(4 + 4 + 34);
  head.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]);
  const si = new DataView(head.buffer, 8);
  si.setUint16(0, BLOCK);
  si.setUint16(2, BLOCK);
  // sample rate (20 bits), channels − 1 (3), bits − 1 (5), total samples (36: the high 4 bits are 0 here)
  si.setUint32(10, (sampleRate << 12) | ((nch - 1) << 9) | (15 << 4) | Math.floor(frames / 2 ** 32));
  si.setUint32(14, frames >>> 0);
  parts.push(head);
  for (let start = 0, n = 0; start < frames; start += BLOCK, n++) {
    const size = Math.min(BLOCK, frames - start);
    const header = [0xff, 0xf8, ((size === BLOCK ? 12 : 7) << 4) | rateCode, ((nch - 1) << 4) | (4 << 1), ...frameNumber(n)];
    if (size !== BLOCK) header.push((size - 1) >> 8, (size - 1) & 0xff);
    const frame = new Uint8Array(header.length + 1 + nch * (1 + 2 * size) + 2);
    frame.set(header);
    frame[header.length] = crc8(frame, header.length);
    let at = header.length + 1;
    const view = new DataView(frame.buffer);
    for (const ch of channels) {
      frame[at++] = 0x02;
      for (let i = 0; i < size; i++, at += 2) view.setInt16(at, Math.max(-32768, Math.min(32767, Math.round(ch[start + i]! * 32767))));
    }
    view.setUint16(at, crc16(frame, at));
    parts.push(frame);
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
