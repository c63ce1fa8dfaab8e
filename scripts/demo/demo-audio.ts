/**
 * The demo's audio phase: a few of the artist key's tracks get a synthesised recording (a click track
 * at a known tempo over a chord progression in a known key), uploaded through
 * PUT /v1/tracks/:id/audio and analysed by the Worker's queue consumer, so the first start shows the
 * audio pipeline end to end: `GET /v1/tracks/:id/audio` says `analysed`, with the features found.
 */
import { encodeWav } from '../../audio/decode/wav-writer.ts';
import { chordProgression, clickTrack } from '../../audio/synth.ts';
import { apiCall } from '../lib/local-worker.ts';

const SAMPLE_RATE = 22_050;
const SECONDS = 30;
const PITCHES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** What each demo recording is made of: the answers the analyser should find. */
export const DEMO_RECORDINGS = [
  { bpm: 96, tonic: 2, mode: 0 },
  { bpm: 124, tonic: 7, mode: 1 },
  { bpm: 140, tonic: 9, mode: 0 },
] as const;

/** A mono WAV of `SECONDS` s: clicks at `bpm` over a I–IV–V–I (or i–iv–V–i) progression. */
export function demoRecording(r: { bpm: number; tonic: number; mode: 0 | 1 }, seed: number): Uint8Array {
  const clicks = clickTrack({ bpm: r.bpm, seconds: SECONDS, sampleRate: SAMPLE_RATE, timbre: 'kick', accent: true, seed });
  const chords = chordProgression({ tonic: r.tonic, mode: r.mode, seconds: SECONDS, sampleRate: SAMPLE_RATE, bass: true });
  const a = clicks.channels[0] as Float32Array;
  const b = chords.channels[0] as Float32Array;
  const mix = new Float32Array(Math.min(a.length, b.length));
  for (let i = 0; i < mix.length; i++) mix[i] = 0.6 * (a[i] ?? 0) + 0.6 * (b[i] ?? 0);
  return encodeWav([mix], SAMPLE_RATE);
}

export interface DemoAudioResult {
  trackId: string;
  made: string;
  status: string;
  found: string;
}

interface AudioStatus {
  status: 'pending' | 'analysed' | 'failed';
  reason?: string;
  features?: { tempo?: number; key?: number; mode?: number };
}

const describe = (bpm: number, tonic: number, mode: number) => `${bpm} BPM ${PITCHES[tonic] ?? '?'} ${mode === 1 ? 'major' : 'minor'}`;

/**
 * Uploads one recording per track id and waits (up to `waitMs`) for each analysis.
 *
 * @example await uploadDemoAudio(url, appKey, ['t-1', 't-2', 't-3'])
 */
export async function uploadDemoAudio(
  url: string,
  appKey: string,
  trackIds: readonly string[],
  waitMs = 90_000,
): Promise<DemoAudioResult[]> {
  const plan = trackIds
    .slice(0, DEMO_RECORDINGS.length)
    .map((trackId, i) => ({ trackId, r: DEMO_RECORDINGS[i] as (typeof DEMO_RECORDINGS)[number] }));
  for (const [i, { trackId, r }] of plan.entries()) {
    const wav = demoRecording(r, i + 1);
    const res = await fetch(`${url}/v1/tracks/${encodeURIComponent(trackId)}/audio`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${appKey}`, 'content-type': 'audio/wav', 'content-length': String(wav.byteLength) },
      body: new Blob([wav as Uint8Array<ArrayBuffer>]),
    });
    if (res.status !== 202) throw new Error(`PUT /v1/tracks/${trackId}/audio answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    await res.body?.cancel();
  }
  const deadline = Date.now() + waitMs;
  const out: DemoAudioResult[] = [];
  for (const { trackId, r } of plan) {
    let last: AudioStatus = { status: 'pending' };
    while (last.status === 'pending' && Date.now() < deadline) {
      const got = await apiCall<AudioStatus>(url, appKey, `/v1/tracks/${encodeURIComponent(trackId)}/audio`);
      if (got.status === 200) last = got.body;
      if (last.status === 'pending') await new Promise((done) => setTimeout(done, 500));
    }
    const f = last.features;
    const found =
      last.status === 'analysed' && f?.tempo !== undefined && f.key !== undefined && f.mode !== undefined
        ? describe(Math.round(f.tempo), f.key, f.mode)
        : (last.reason ?? 'still pending');
    out.push({ trackId, made: describe(r.bpm, r.tonic, r.mode), status: last.status, found });
  }
  return out;
}
