import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioDecodeError, analyseStream, detectFormat, MAX_AUDIO_UPLOAD_BYTES, WavDecoder } from '../../../audio/decode/index.ts';
import { encodeWav, type WavEncoding } from '../../../audio/decode/wav-writer.ts';
import { chordProgression } from '../../../audio/synth.ts';
import { analyseFile, ffmpegEncode, hasFfmpeg } from '../../../models/audio/node/ffmpeg.ts';

const FFMPEG = hasFfmpeg();
if (!FFMPEG)
  console.warn('ffmpeg (with the ebur128 filter) is not on PATH: the tests that need it are skipped (set FFMPEG=/path/to/ffmpeg)');
const dir = mkdtempSync(join(tmpdir(), 'audio-decoders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 6 s of A minor, stereo, 44.1 kHz.
const pcm = chordProgression({ tonic: 9, mode: 0, seconds: 6, sampleRate: 44_100, stereo: true, chordSeconds: 1.5 });

/** Splits bytes into uneven chunks, so headers and sample frames straddle chunk boundaries. */
function* chunks(bytes: Uint8Array, size = 1237): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

describe('WAV', () => {
  for (const encoding of ['pcm16', 'pcm24', 'pcm32', 'float32'] as WavEncoding[]) {
    it(`Should decode ${encoding} WAV chunk by chunk to the samples that were written`, async () => {
      const bytes = encodeWav(pcm.channels, pcm.sampleRate, encoding);
      const dec = new WavDecoder();
      const left: number[] = [];
      for (const c of chunks(bytes)) for (const b of await dec.decode(c)) for (const x of b.channels[0]!) left.push(x);
      await dec.flush();
      expect(left).toHaveLength(pcm.channels[0]!.length);
      const tolerance = encoding === 'pcm16' ? 1 / 16_000 : 1e-6;
      for (let i = 0; i < left.length; i += 997) expect(Math.abs(left[i]! - pcm.channels[0]![i]!)).toBeLessThan(tolerance);
      const { format, features } = await analyseStream(chunks(bytes, 4093));
      expect(format).toBe('wav');
      expect({ key: features.key, mode: features.mode, duration_ms: features.duration_ms }).toEqual({ key: 9, mode: 0, duration_ms: 6000 });
    });
  }

  it('Should skip chunks other than fmt and data (a LIST chunk before the data)', async () => {
    const plain = encodeWav([pcm.channels[0]!.subarray(0, 44_100)], 44_100);
    const list = new Uint8Array(8 + 11 + 1);
    list.set([0x4c, 0x49, 0x53, 0x54, 11, 0, 0, 0]);
    const bytes = new Uint8Array(plain.length + list.length);
    bytes.set(plain.subarray(0, 36));
    bytes.set(list, 36);
    bytes.set(plain.subarray(36), 36 + list.length);
    const { features } = await analyseStream(chunks(bytes, 5));
    expect(features.duration_ms).toBe(1000);
  });
});

describe('compressed formats', () => {
  const formats = [
    { ext: 'mp3', format: 'mp3', args: ['-c:a', 'libmp3lame', '-b:a', '160k'] },
    { ext: 'flac', format: 'flac', args: ['-c:a', 'flac'] },
    { ext: 'ogg', format: 'ogg-vorbis', args: ['-c:a', 'libvorbis', '-q:a', '5'] },
  ] as const;
  for (const f of formats) {
    it.skipIf(!FFMPEG)(
      `Should decode ${f.format} (encoded by ffmpeg) chunk by chunk and find its key (needs ffmpeg: skipped with a warning without it)`,
      async () => {
        const wav = join(dir, `src-${f.ext}.wav`);
        writeFileSync(wav, encodeWav(pcm.channels, pcm.sampleRate, 'pcm16'));
        const out = join(dir, `a.${f.ext}`);
        ffmpegEncode(wav, out, f.args);
        const { format, features } = await analyseFile(out);
        expect(format).toBe(f.format);
        expect({ key: features.key, mode: features.mode }).toEqual({ key: 9, mode: 0 });
        expect(Math.abs(features.duration_ms - 6000)).toBeLessThan(100);
        expect(features.sample_rate).toBe(44_100);
        expect(features.channels).toBe(2);
      },
    );
  }
});

describe('errors', () => {
  const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

  it('Should reject a file that is not audio with an unsupported_format error', async () => {
    const err = await analyseStream([bytes('hello, this is a text file and not audio at all')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioDecodeError);
    expect((err as AudioDecodeError).code).toBe('unsupported_format');
    expect((err as Error).message).toMatch(/not a WAV, MP3, FLAC or Ogg Vorbis/);
  });

  it('Should name formats it recognises but does not support', () => {
    const opus = new Uint8Array(64);
    opus.set(bytes('OggS'));
    opus.set(bytes('OpusHead'), 28);
    expect(() => detectFormat(opus)).toThrow(/Opus is not supported/);
    const m4a = new Uint8Array(64);
    m4a.set(bytes('ftypM4A '), 4);
    expect(() => detectFormat(m4a)).toThrow(/MP4/);
  });

  it('Should reject an empty file', async () => {
    await expect(analyseStream([])).rejects.toThrow(/empty/);
  });

  it('Should reject a truncated WAV (header only) as corrupt', async () => {
    const wav = encodeWav([new Float32Array(1000)], 44_100).subarray(0, 30);
    await expect(analyseStream([wav])).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('Should reject an unsupported WAV encoding (A-law) by name', async () => {
    const wav = encodeWav([new Float32Array(1000)], 8000, 'pcm16');
    new DataView(wav.buffer).setUint16(20, 6, true);
    await expect(analyseStream([wav])).rejects.toThrow(/A-law/);
  });

  it('Should reject an MP3-looking file whose frames are garbage', async () => {
    const junk = new Uint8Array(20_000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) & 0xff;
    junk.set(bytes('ID3'));
    await expect(analyseStream([junk])).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('Should stop reading past the upload size limit', async () => {
    expect(MAX_AUDIO_UPLOAD_BYTES).toBe(50 * 1024 * 1024);
    const wav = encodeWav([new Float32Array(50_000)], 44_100);
    await expect(analyseStream(chunks(wav, 10_000), { maxBytes: 40_000 })).rejects.toMatchObject({ code: 'too_large' });
  });
});
