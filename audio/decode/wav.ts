/**
 * A streaming WAV (RIFF/WAVE) decoder: PCM 8/16/24/32-bit integer and 32/64-bit float, including
 * WAVE_FORMAT_EXTENSIBLE. Chunks other than `fmt ` and `data` are skipped without being buffered,
 * and a sample frame split across two input chunks is carried over, so the memory held is a few bytes
 * plus the PCM of the current chunk. A `data` size of 0 or 0xFFFFFFFF (a stream written before its
 * length was known) means "to the end of the file".
 */
import { AudioDecodeError, type PcmBlock, type StreamDecoder } from './types.ts';

interface WavFormat {
  tag: 1 | 3;
  channels: number;
  sampleRate: number;
  bits: number;
  blockAlign: number;
}

const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

export class WavDecoder implements StreamDecoder {
  readonly format = 'wav' as const;
  /** Header bytes not parsed yet (only ever a chunk header or a `fmt ` body). */
  private pending: Uint8Array = new Uint8Array(0);
  private stage: 'riff' | 'chunks' | 'data' | 'done' = 'riff';
  private skip = 0;
  private fmt: WavFormat | null = null;
  private dataLeft = 0;

  async decode(bytes: Uint8Array): Promise<PcmBlock[]> {
    return this.consume(bytes);
  }

  async flush(): Promise<PcmBlock[]> {
    if (this.stage === 'riff' || this.stage === 'chunks') {
      throw new AudioDecodeError('corrupt', this.fmt ? 'WAV file has no data chunk' : 'WAV file ends before its fmt chunk');
    }
    return [];
  }

  free(): void {
    this.pending = new Uint8Array(0);
  }

  private append(bytes: Uint8Array): Uint8Array {
    if (this.pending.length === 0) return bytes;
    const joined = new Uint8Array(this.pending.length + bytes.length);
    joined.set(this.pending);
    joined.set(bytes, this.pending.length);
    this.pending = new Uint8Array(0);
    return joined;
  }

  private consume(input: Uint8Array): PcmBlock[] {
    const b = this.append(input);
    let at = 0;
    const out: PcmBlock[] = [];
    while (at < b.length) {
      if (this.stage === 'done') return out;
      if (this.skip > 0) {
        const n = Math.min(this.skip, b.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      if (this.stage === 'riff') {
        if (b.length - at < 12) break;
        if (fourcc(b, at) !== 'RIFF' || fourcc(b, at + 8) !== 'WAVE') throw new AudioDecodeError('corrupt', 'not a RIFF/WAVE file');
        at += 12;
        this.stage = 'chunks';
        continue;
      }
      if (this.stage === 'chunks') {
        if (b.length - at < 8) break;
        const id = fourcc(b, at);
        const size = new DataView(b.buffer, b.byteOffset + at, 8).getUint32(4, true);
        if (id === 'fmt ') {
          if (size < 16 || size > 4096) throw new AudioDecodeError('corrupt', `WAV fmt chunk has a bad size (${size} bytes)`);
          if (b.length - at < 8 + size) break;
          this.fmt = parseFmt(b.subarray(at + 8, at + 8 + size));
          at += 8 + size + (size & 1);
          continue;
        }
        if (id === 'data') {
          if (!this.fmt) throw new AudioDecodeError('corrupt', 'WAV data chunk comes before the fmt chunk');
          this.dataLeft = size === 0 || size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
          at += 8;
          this.stage = 'data';
          continue;
        }
        // Any other chunk (LIST, fact, cue, …): skip its body and pad byte.
        at += 8;
        this.skip = size + (size & 1);
        continue;
      }
      // data
      const fmt = this.fmt!;
      const available = Math.min(b.length - at, this.dataLeft);
      const frames = Math.floor(available / fmt.blockAlign);
      if (frames > 0) {
        out.push(convert(b, at, frames, fmt));
        const used = frames * fmt.blockAlign;
        at += used;
        this.dataLeft -= used;
      }
      if (this.dataLeft < fmt.blockAlign) {
        this.stage = 'done';
        return out;
      }
      break;
    }
    if (at < b.length) {
      const rest = b.subarray(at);
      if (rest.length > 8192 && this.stage !== 'data') throw new AudioDecodeError('corrupt', 'WAV header is malformed');
      this.pending = rest.slice();
    }
    return out;
  }
}

function parseFmt(f: Uint8Array): WavFormat {
  const v = new DataView(f.buffer, f.byteOffset, f.length);
  let tag = v.getUint16(0, true);
  const channels = v.getUint16(2, true);
  const sampleRate = v.getUint32(4, true);
  const blockAlign = v.getUint16(12, true);
  const bits = v.getUint16(14, true);
  if (tag === 0xfffe && f.length >= 26) tag = v.getUint16(24, true); // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the tag
  if (tag !== 1 && tag !== 3) {
    const names: Record<number, string> = { 2: 'MS ADPCM', 6: 'A-law', 7: 'µ-law', 17: 'IMA ADPCM', 85: 'MPEG layer 3' };
    throw new AudioDecodeError(
      'unsupported_format',
      `WAV format tag ${tag}${names[tag] ? ` (${names[tag]})` : ''} is not supported: only PCM integer and IEEE float`,
    );
  }
  const okBits = tag === 1 ? [8, 16, 24, 32].includes(bits) : [32, 64].includes(bits);
  if (!okBits)
    throw new AudioDecodeError('unsupported_format', `WAV ${tag === 1 ? 'PCM' : 'float'} with ${bits} bits per sample is not supported`);
  if (channels < 1 || channels > 32) throw new AudioDecodeError('corrupt', `WAV declares ${channels} channels`);
  if (sampleRate < 1000 || sampleRate > 768_000) throw new AudioDecodeError('corrupt', `WAV declares a sample rate of ${sampleRate} Hz`);
  if (blockAlign !== (channels * bits) / 8)
    throw new AudioDecodeError('corrupt', `WAV block align ${blockAlign} does not match ${channels} × ${bits} bits`);
  return { tag: tag as 1 | 3, channels, sampleRate, bits, blockAlign };
}

function convert(b: Uint8Array, at: number, frames: number, fmt: WavFormat): PcmBlock {
  const v = new DataView(b.buffer, b.byteOffset + at, frames * fmt.blockAlign);
  const channels = Array.from({ length: fmt.channels }, () => new Float32Array(frames));
  const bytes = fmt.bits / 8;
  let o = 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < fmt.channels; c++) {
      let x: number;
      if (fmt.tag === 3) x = bytes === 4 ? v.getFloat32(o, true) : v.getFloat64(o, true);
      else if (bytes === 2) x = v.getInt16(o, true) / 32768;
      else if (bytes === 3) x = ((v.getUint8(o) | (v.getUint8(o + 1) << 8) | (v.getInt8(o + 2) << 16)) as number) / 8388608;
      else if (bytes === 4) x = v.getInt32(o, true) / 2147483648;
      else x = (v.getUint8(o) - 128) / 128;
      channels[c]![i] = x;
      o += bytes;
    }
  }
  return { channels, sampleRate: fmt.sampleRate };
}
