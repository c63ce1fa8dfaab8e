/**
 * PUT /v1/tracks/{id}/audio stores the file in R2 and queues its analysis; the analyse-audio consumer
 * decodes it inside workerd (WAV natively, FLAC / MP3 / Ogg Vorbis through precompiled wasm) and
 * writes the features into the catalogue. Signals come from audio/synth.ts, with the tolerances of
 * test/models/audio (tempo within ±2 %, key and mode exact).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeFlac } from '../../../audio/decode/flac-writer.ts';
import { MAX_AUDIO_UPLOAD_BYTES } from '../../../audio/decode/index.ts';
import { encodeSilentMp3 } from '../../../audio/decode/mp3-writer.ts';
import { encodeWav } from '../../../audio/decode/wav-writer.ts';
import { chordProgression, clickTrack } from '../../../audio/synth.ts';
import { api, type ErrorEnvelope, mintKey } from '../helpers.ts';
import { audioStatus, drainAudio, putTracks, uploadAudio } from './helpers.ts';

const A = 'ta-artist';
const B = 'ta-other';
const click = clickTrack({ bpm: 97.5, timbre: 'wood', seconds: 14, sampleRate: 22_050, accent: true });
const progression = chordProgression({ tonic: 7, mode: 1, seconds: 8, sampleRate: 22_050, harmonics: 4 });

beforeAll(async () => {
  await putTracks(A, ['ta-click', 'ta-chords', 'ta-flac', 'ta-mp3', 'ta-ogg', 'ta-corrupt', 'ta-again', 'ta-415', 'ta-413', 'ta-own']);
  await putTracks(B, ['ta-foreign']);
});

describe('upload and analysis', () => {
  it('Should answer 202 pending, then find the tempo of a WAV click track within ±2 % and write it into the track', async () => {
    const before = (await (await api('/v1/tracks/ta-click')).json()) as { updated_at: string };
    const res = await uploadAudio('ta-click', encodeWav(click.channels, click.sampleRate));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'pending', format: 'wav' });
    expect(await drainAudio('ta-click')).toEqual({ acked: 1, retried: 0 });
    const audio = await audioStatus('ta-click');
    expect(audio.status).toBe('analysed');
    expect(Math.abs(audio.features!.tempo / 97.5 - 1)).toBeLessThan(0.02);
    expect(audio.features!.duration_ms).toBe(14_000);
    const track = (await (await api('/v1/tracks/ta-click')).json()) as { audio_features: { tempo: number }; updated_at: string };
    expect(track.audio_features.tempo).toBeCloseTo(audio.features!.tempo, 1);
    // Moved as a PUT /v1/tracks moves it: the serving catalogue re-reads and re-embeds rows updated after its watermark.
    expect(Date.parse(track.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
  });

  it('Should name the key and mode of a WAV chord progression exactly', async () => {
    expect((await uploadAudio('ta-chords', encodeWav(progression.channels, progression.sampleRate))).status).toBe(202);
    await drainAudio('ta-chords');
    const audio = await audioStatus('ta-chords');
    expect({ status: audio.status, key: audio.features?.key, mode: audio.features?.mode }).toEqual({ status: 'analysed', key: 7, mode: 1 });
    const track = (await (await api('/v1/tracks/ta-chords')).json()) as { audio_features: Record<string, number | null> };
    expect(track.audio_features).toMatchObject({ key: 7, mode: 1 });
  });

  it('Should decode FLAC inside workerd from the precompiled wasm and find its key', async () => {
    const stereo = chordProgression({ tonic: 9, mode: 0, seconds: 6, sampleRate: 44_100, stereo: true });
    const res = await uploadAudio('ta-flac', encodeFlac(stereo.channels, stereo.sampleRate), { contentType: 'audio/flac' });
    expect(res.status).toBe(202);
    await drainAudio('ta-flac');
    const audio = await audioStatus('ta-flac');
    expect(audio).toMatchObject({ status: 'analysed', format: 'flac', features: { key: 9, mode: 0, channels: 2, sample_rate: 44_100 } });
  });

  it('Should decode MP3 inside workerd from the precompiled wasm (silent frames: duration and floor loudness)', async () => {
    expect((await uploadAudio('ta-mp3', encodeSilentMp3(3), { contentType: 'audio/mpeg' })).status).toBe(202);
    await drainAudio('ta-mp3');
    const audio = await audioStatus('ta-mp3');
    expect(audio).toMatchObject({ status: 'analysed', format: 'mp3', features: { loudness: -70, key: -1 } });
    expect(Math.abs(audio.features!.duration_ms - 3000)).toBeLessThan(60);
  });

  it('Should build the Ogg Vorbis decoder inside workerd, so a broken Vorbis file fails as corrupt and not for want of a codec', async () => {
    const ogg = new Uint8Array(4000);
    ogg.set([0x4f, 0x67, 0x67, 0x53]);
    ogg.set([0x01, ...Array.from('vorbis', (c) => c.charCodeAt(0))], 28);
    expect((await uploadAudio('ta-ogg', ogg, { contentType: 'audio/ogg' })).status).toBe(202);
    expect(await drainAudio('ta-ogg')).toEqual({ acked: 1, retried: 0 });
    expect(await audioStatus('ta-ogg')).toMatchObject({ status: 'failed', reason: 'corrupt', format: 'ogg-vorbis' });
  });

  it('Should end a corrupt file failed with a reason, acknowledged and not retried', async () => {
    const wav = encodeWav(click.channels, click.sampleRate).subarray(0, 44);
    expect((await uploadAudio('ta-corrupt', wav)).status).toBe(202);
    expect(await drainAudio('ta-corrupt')).toEqual({ acked: 1, retried: 0 });
    const audio = await audioStatus('ta-corrupt');
    expect(audio.status).toBe('failed');
    expect(audio.reason).toBe('corrupt');
    expect(audio.features).toBeUndefined();
    // A redelivery of the same message changes nothing.
    expect(await drainAudio('ta-corrupt')).toEqual({ acked: 1, retried: 0 });
    expect((await audioStatus('ta-corrupt')).status).toBe('failed');
  });

  it('Should give up on an upload whose analysis keeps dying, marking it failed', async () => {
    expect((await uploadAudio('ta-again', encodeWav(click.channels, click.sampleRate))).status).toBe(202);
    // Three attempts started and never finished (a CPU-limit kill leaves no trace but the count).
    await env.DB.prepare(`UPDATE track_audio SET attempts = 3 WHERE track_id = 'ta-again'`).run();
    await drainAudio('ta-again', 4);
    expect(await audioStatus('ta-again')).toMatchObject({ status: 'failed', reason: 'analysis_did_not_finish' });
  });

  it('Should store the file in R2 under audio/<track>/<sha256>.<ext> and answer a resend of the same file without queueing it again', async () => {
    const bytes = encodeWav(progression.channels, progression.sampleRate);
    const sha = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const first = (await audioStatus('ta-chords')) as { sha256: string; bytes: number };
    expect(first).toMatchObject({ sha256: sha, bytes: bytes.length });
    const stored = await env.AUDIO.head(`audio/ta-chords/${sha}.wav`);
    expect(stored?.size).toBe(bytes.length);
    expect((await env.AUDIO.list({ prefix: 'audio/ta-chords/' })).objects.map((o) => o.key)).toEqual([`audio/ta-chords/${sha}.wav`]);
    const again = await uploadAudio('ta-chords', bytes);
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ status: 'analysed', sha256: sha });
  });
});

describe('refusals', () => {
  it('Should answer 415 for a Content-Type that is not audio, and for bytes that are no supported format', async () => {
    const wav = encodeWav(click.channels, click.sampleRate);
    const typed = await uploadAudio('ta-415', wav, { contentType: 'text/plain' });
    expect(typed.status).toBe(415);
    expect(((await typed.json()) as ErrorEnvelope).error.code).toBe('unsupported_media_type');
    const aiff = new Uint8Array(1000);
    aiff.set(Array.from('FORM', (c) => c.charCodeAt(0)));
    const sniffed = await uploadAudio('ta-415', aiff, { contentType: null });
    expect(sniffed.status).toBe(415);
    expect(((await sniffed.json()) as ErrorEnvelope).error.message).toMatch(/AIFF/);
    expect((await api('/v1/tracks/ta-415/audio')).status).toBe(404);
    expect((await env.AUDIO.list({ prefix: 'audio/ta-415/' })).objects).toEqual([]);
  });

  it('Should answer 413 past the size limit, before reading the body, and take bodies over the API’s 1 MB', async () => {
    expect(MAX_AUDIO_UPLOAD_BYTES).toBe(50 * 1024 * 1024);
    const res = await uploadAudio('ta-413', new Uint8Array(MAX_AUDIO_UPLOAD_BYTES + 1));
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('payload_too_large');
    const long = clickTrack({ bpm: 120, seconds: 30, sampleRate: 22_050 });
    const wav = encodeWav(long.channels, long.sampleRate);
    expect(wav.length).toBeGreaterThan(1024 * 1024);
    expect((await uploadAudio('ta-413', wav)).status).toBe(202);
  });

  it('Should answer 404 for an unknown track', async () => {
    const res = await uploadAudio('ta-missing', encodeWav(click.channels, click.sampleRate));
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('track_not_found');
  });
});

describe('roles and scope', () => {
  let artist: string;
  let app: string;
  beforeAll(async () => {
    artist = await mintKey('artist', [A]);
    app = await mintKey('app');
  });

  it('Should let an artist key upload and read its own artist’s track', async () => {
    const res = await uploadAudio('ta-own', encodeWav(progression.channels, progression.sampleRate), { key: artist });
    expect(res.status).toBe(202);
    expect((await api('/v1/tracks/ta-own/audio', { key: artist })).status).toBe(200);
    expect((await api('/v1/tracks/ta-own/audio', { key: app })).status).toBe(200);
  });

  it('Should answer an artist key about another artist’s track exactly as about a missing one (404)', async () => {
    const foreign = await uploadAudio('ta-foreign', encodeWav(click.channels, click.sampleRate), { key: artist });
    const missing = await uploadAudio('ta-nowhere', encodeWav(click.channels, click.sampleRate), { key: artist });
    expect(foreign.status).toBe(404);
    const body = (await foreign.json()) as ErrorEnvelope;
    const missingBody = (await missing.json()) as ErrorEnvelope;
    expect(body.error.code).toBe(missingBody.error.code);
    expect(body.error.message.replace('ta-foreign', 'X')).toBe(missingBody.error.message.replace('ta-nowhere', 'X'));
    expect((await api('/v1/tracks/ta-foreign/audio', { key: artist })).status).toBe(404);
    expect((await env.AUDIO.list({ prefix: 'audio/ta-foreign/' })).objects).toEqual([]);
  });

  it('Should refuse marketer and editor keys with 403', async () => {
    for (const role of ['marketer', 'editor'] as const) {
      const key = await mintKey(role, role === 'marketer' ? [A] : undefined);
      expect((await uploadAudio('ta-own', encodeWav(click.channels, click.sampleRate), { key })).status).toBe(403);
      expect((await api('/v1/tracks/ta-own/audio', { key })).status).toBe(403);
    }
  });
});
