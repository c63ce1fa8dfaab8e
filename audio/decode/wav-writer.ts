/** Writes PCM as a WAV file (RIFF, WAVE_FORMAT_PCM or WAVE_FORMAT_IEEE_FLOAT), for tests and the evaluation. */

export type WavEncoding = 'pcm16' | 'pcm24' | 'pcm32' | 'float32';

export function encodeWav(channels: readonly Float32Array[], sampleRate: number, encoding: WavEncoding = 'pcm16'): Uint8Array {
  const bits = encoding === 'pcm16' ? 16 : encoding === 'pcm24' ? 24 : 32;
  const bytes = bits / 8;
  const frames = channels[0]?.length ?? 0;
  const nch = channels.length;
  const dataSize = frames * nch * bytes;
  const buf = new Uint8Array(44 + dataSize);
  const v = new DataView(buf.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) buf[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataSize, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, encoding === 'float32' ? 3 : 1, true);
  v.setUint16(22, nch, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * nch * bytes, true);
  v.setUint16(32, nch * bytes, true);
  v.setUint16(34, bits, true);
  ascii(36, 'data');
  v.setUint32(40, dataSize, true);
  let at = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++) {
      const x = Math.max(-1, Math.min(1, channels[c]![i]!));
      if (encoding === 'float32') v.setFloat32(at, channels[c]![i]!, true);
      else if (encoding === 'pcm16') v.setInt16(at, Math.round(x * 32767), true);
      else if (encoding === 'pcm32') v.setInt32(at, Math.round(x * 2147483647), true);
      else {
        const s = Math.round(x * 8388607);
        buf[at] = s & 0xff;
        buf[at + 1] = (s >> 8) & 0xff;
        buf[at + 2] = (s >> 16) & 0xff;
      }
      at += bytes;
    }
  }
  return buf;
}
