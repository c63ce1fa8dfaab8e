/**
 * npm run eval:audio [-- --n 60 --seed 1 --verbose]
 *
 * Accuracy of the audio analyser (audio/) against signals with known answers, generated here:
 * - click tracks at 60–180 BPM with varied timbres (blip, kick, hi-hat, woodblock, snare), accents,
 *   soft off-beat hi-hats and background noise → tempo within ±2 %, octave errors (×2, ×½) counted apart;
 * - I–IV–V–I (major) and i–iv–V–i (harmonic minor) progressions of additive-synth tones in random
 *   keys → key and mode exact;
 * - sines, white and pink noise at known levels, some with a quieter second half → loudness;
 * and, for every signal, integrated loudness against `ffmpeg -af ebur128` on the same WAV (skipped with
 * a message when ffmpeg is missing), plus analysis speed (seconds of audio per second of CPU).
 * Signals cycle through the three kinds and random sample rates (22.05, 32, 44.1, 48 kHz).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AudioAnalyser, type AudioAnalysis } from '../../audio/analyser.ts';
import { encodeWav } from '../../audio/decode/wav-writer.ts';
import { CLICK_TIMBRES, chordProgression, clickTrack, type Pcm, toneOrNoise } from '../../audio/synth.ts';
import { ffmpegLoudness, hasFfmpeg } from '../audio/node/ffmpeg.ts';
import { mulberry32 } from '../train/random.ts';

const { values: a } = parseArgs({
  options: {
    n: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    verbose: { type: 'boolean', default: false },
  },
});

type Case =
  | { kind: 'tempo'; label: string; pcm: Pcm; bpm: number }
  | { kind: 'key'; label: string; pcm: Pcm; tonic: number; mode: 0 | 1 }
  | { kind: 'level'; label: string; pcm: Pcm };

const NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const RATES = [22_050, 32_000, 44_100, 48_000];

function makeCase(i: number, rand: () => number): Case {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const sampleRate = pick(RATES);
  const kind = i % 3;
  if (kind === 0) {
    const bpm = Math.round((60 + rand() * 120) * 10) / 10;
    const timbre = pick(CLICK_TIMBRES);
    const offbeats = rand() < 0.5 ? 0.15 + rand() * 0.2 : 0;
    const noiseDb = rand() < 0.4 ? -40 + rand() * 15 : undefined;
    const accent = rand() < 0.5;
    const seconds = 15 + rand() * 10;
    const label = `click ${bpm} BPM ${timbre}${accent ? ' accent' : ''}${offbeats ? ` off-beats ${offbeats.toFixed(2)}` : ''}${noiseDb !== undefined ? ` noise ${noiseDb.toFixed(0)} dB` : ''}`;
    return { kind: 'tempo', label, bpm, pcm: clickTrack({ bpm, seconds, sampleRate, timbre, offbeats, noiseDb, accent, seed: i + 1 }) };
  }
  if (kind === 1) {
    const tonic = Math.floor(rand() * 12);
    const mode = (rand() < 0.5 ? 1 : 0) as 0 | 1;
    const harmonics = 1 + Math.floor(rand() * 8);
    const bass = rand() < 0.6;
    const chordSeconds = 1 + rand();
    const pcm = chordProgression({
      tonic,
      mode,
      seconds: 10 + rand() * 6,
      sampleRate,
      harmonics,
      bass,
      chordSeconds,
      stereo: rand() < 0.5,
    });
    return {
      kind: 'key',
      label: `${NAMES[tonic]} ${mode ? 'major' : 'minor'}, ${harmonics} partials${bass ? ', bass' : ''}`,
      tonic,
      mode,
      pcm,
    };
  }
  const k = pick(['sine', 'white', 'pink'] as const);
  const dbfs = -40 + rand() * 34;
  const frequency = Math.round(100 * 80 ** rand());
  const dropDb = rand() < 0.4 ? 5 + rand() * 25 : undefined;
  const channels = rand() < 0.5 ? 1 : 2;
  const pcm = toneOrNoise({ kind: k, dbfs, frequency, seconds: 5 + rand() * 5, sampleRate, channels, dropDb, seed: i + 1 });
  const label = `${k}${k === 'sine' ? ` ${frequency} Hz` : ''} ${dbfs.toFixed(1)} dBFS ${channels} ch${dropDb ? ` drop ${dropDb.toFixed(0)} dB` : ''}`;
  return { kind: 'level', label, pcm };
}

function analyse(pcm: Pcm): { features: AudioAnalysis; cpu: number } {
  const before = process.cpuUsage();
  const an = new AudioAnalyser();
  const n = pcm.channels[0]!.length;
  for (let i = 0; i < n; i += 16_384)
    an.push(
      pcm.channels.map((c) => c.subarray(i, Math.min(n, i + 16_384))),
      pcm.sampleRate,
    );
  const features = an.finish();
  const used = process.cpuUsage(before);
  return { features, cpu: (used.user + used.system) / 1e6 };
}

const pct = (x: number, n: number) => (n ? `${((100 * x) / n).toFixed(1)} %` : '–');

async function main() {
  const n = Number(a.n);
  const seed = Number(a.seed);
  if (!Number.isInteger(n) || n < 3 || n > 2000) throw new Error('--n must be an integer from 3 to 2000');
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  const ffmpeg = hasFfmpeg();
  const dir = mkdtempSync(join(tmpdir(), 'eval-audio-'));
  const rand = mulberry32(seed);
  const tempo = { n: 0, ok: 0, octave: 0, other: 0, errs: [] as number[] };
  const key = { n: 0, exact: 0, keyOnly: 0, modeOnly: 0 };
  const loud = { n: 0, within: 0, errs: [] as number[] };
  let audioSeconds = 0;
  let cpuSeconds = 0;
  try {
    for (let i = 0; i < n; i++) {
      const c = makeCase(i, rand);
      const { features: f, cpu } = analyse(c.pcm);
      audioSeconds += c.pcm.channels[0]!.length / c.pcm.sampleRate;
      cpuSeconds += cpu;
      let verdict = '';
      if (c.kind === 'tempo') {
        tempo.n++;
        const r = f.tempo / c.bpm;
        if (Math.abs(r - 1) <= 0.02) {
          tempo.ok++;
          tempo.errs.push(Math.abs(r - 1));
        } else if (Math.abs(r - 2) <= 0.04 || Math.abs(r - 0.5) <= 0.01) tempo.octave++;
        else tempo.other++;
        verdict = `tempo ${f.tempo.toFixed(2)} (${((r - 1) * 100).toFixed(2)} %)`;
      } else if (c.kind === 'key') {
        key.n++;
        if (f.key === c.tonic && f.mode === c.mode) key.exact++;
        else if (f.key === c.tonic) key.keyOnly++;
        else if (f.mode === c.mode) key.modeOnly++;
        verdict = `key ${f.key < 0 ? '?' : NAMES[f.key]} ${f.mode ? 'major' : 'minor'}`;
      }
      if (ffmpeg) {
        const file = join(dir, `s${i}.wav`);
        writeFileSync(file, encodeWav(c.pcm.channels, c.pcm.sampleRate, 'float32'));
        const ref = await ffmpegLoudness(file);
        rmSync(file);
        const err = f.loudness - Math.max(-70, ref);
        loud.n++;
        loud.errs.push(Math.abs(err));
        if (Math.abs(err) <= 0.5) loud.within++;
        verdict += `${verdict ? ', ' : ''}loudness ${f.loudness.toFixed(2)} vs ffmpeg ${ref.toFixed(1)} LUFS`;
      } else if (c.kind === 'level') verdict += `loudness ${f.loudness.toFixed(2)} LUFS`;
      if (a.verbose) console.log(`${String(i + 1).padStart(4)}  ${c.label.padEnd(52)} ${verdict}`);
      else process.stderr.write(`\r${i + 1}/${n}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!a.verbose) process.stderr.write('\n');
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : Number.NaN);
  const rows: [string, string, string][] = [
    [
      'tempo within ±2 %',
      String(tempo.n),
      `${tempo.ok}/${tempo.n} (${pct(tempo.ok, tempo.n)}), mean |error| ${(100 * mean(tempo.errs)).toFixed(2)} % of those`,
    ],
    ['tempo octave errors (×2, ×½)', String(tempo.n), `${tempo.octave} (${pct(tempo.octave, tempo.n)}); other errors ${tempo.other}`],
    [
      'key and mode exact',
      String(key.n),
      `${key.exact}/${key.n} (${pct(key.exact, key.n)}); right tonic wrong mode ${key.keyOnly}, right mode wrong tonic ${key.modeOnly}`,
    ],
    ffmpeg
      ? [
          'loudness vs ffmpeg ebur128',
          String(loud.n),
          `within ±0.5 LU ${loud.within}/${loud.n} (${pct(loud.within, loud.n)}), mean |error| ${mean(loud.errs).toFixed(3)} LU, max ${Math.max(...loud.errs).toFixed(3)} LU`,
        ]
      : ['loudness vs ffmpeg ebur128', '–', 'skipped: ffmpeg not found on PATH (set FFMPEG=/path/to/ffmpeg)'],
    [
      'analysis speed',
      String(n),
      `${(audioSeconds / cpuSeconds).toFixed(0)} s of audio per CPU second (${audioSeconds.toFixed(0)} s of audio in ${cpuSeconds.toFixed(2)} s CPU)`,
    ],
  ];
  console.log(`\nAudio analyser on ${n} generated signals (seed ${seed})\n`);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'measure'.padEnd(w0)}  ${'n'.padStart(4)}  result`);
  for (const [m, k, r] of rows) console.log(`${m.padEnd(w0)}  ${k.padStart(4)}  ${r}`);
}

await main();
