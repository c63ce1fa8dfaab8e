/**
 * `npm run bench:audio-worker [-- --seconds 240]`: what analysing one uploaded track costs inside
 * workerd, the runtime of the analyse-audio queue consumer (worker/jobs/analyse-audio.ts).
 *
 * A small Worker (written to a temporary directory, bundled by wrangler with the same wasm rule as
 * the real one) calls exactly what the consumer calls: `analyseStream(R2 object body, { modules:
 * DECODER_MODULES })`, minus the two D1 writes. The track is a generated 4-minute stereo 44.1 kHz
 * mix (chord progression in D minor over a 124 BPM kick), stored in the local R2 bucket as 16-bit
 * WAV and as FLAC (audio/decode's test encoders: verbatim FLAC, so about the same size), plus 4 minutes of
 * silent MP3 frames for the MP3 decoder's cost (our only MP3 encoder writes silence).
 *
 * Measured from outside, on the workerd process itself (Linux /proc): CPU time (user + system,
 * 10 ms ticks) and the peak resident set during the analysis (VmHWM after resetting it, minus the
 * resident set before). The Worker reports the analyser's retained sizes (`stats()`). workerd is
 * one process here, so the figures include the runtime's own work for that request (R2 reads).
 * Takes about a minute; nothing is left running.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { unstable_dev } from 'wrangler';
import { encodeFlac } from '../../audio/decode/flac-writer.ts';
import { encodeSilentMp3 } from '../../audio/decode/mp3-writer.ts';
import { encodeWav } from '../../audio/decode/wav-writer.ts';
import { chordProgression, clickTrack } from '../../audio/synth.ts';
import { ROOT } from '../lib/local-worker.ts';

const { values: a } = parseArgs({ options: { seconds: { type: 'string', default: '240' } } });
const seconds = Number(a.seconds);

const ENTRY = `
import { analyseStream } from '${ROOT}audio/decode/index.ts';
import { DECODER_MODULES } from '${ROOT}worker/audio/decoder-modules.ts';
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const key = url.searchParams.get('key');
    if (request.method === 'PUT') {
      const fixed = new FixedLengthStream(Number(url.searchParams.get('bytes')));
      await Promise.all([request.body.pipeTo(fixed.writable), env.AUDIO.put(key, fixed.readable)]);
      return new Response('stored');
    }
    const object = await env.AUDIO.get(key);
    const { format, bytes, features, stats } = await analyseStream(object.body, { modules: DECODER_MODULES });
    return Response.json({ format, bytes, tempo: features.tempo, key: features.key, mode: features.mode, duration_ms: features.duration_ms, stats });
  },
};
`;

/** Every descendant of this process whose command is workerd. */
function workerdPids(): number[] {
  const children = new Map<number, number[]>();
  const names = new Map<number, string>();
  for (const entry of readdirProc()) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      names.set(entry, name);
      children.set(ppid, [...(children.get(ppid) ?? []), entry]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      if (names.get(c) === 'workerd') out.push(c);
      walk(c);
    }
  };
  walk(process.pid);
  return out;
}

const readdirProc = () =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);

const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const statusKb = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? Number.NaN);
};

console.error(`bench:audio-worker: generating ${seconds} s of stereo 44.1 kHz audio…`);
const chords = chordProgression({ tonic: 2, mode: 0, seconds, sampleRate: 44_100, stereo: true, bass: true, chordSeconds: 2 });
const kick = clickTrack({ bpm: 124, seconds, sampleRate: 44_100, timbre: 'kick' }).channels[0]!;
for (const ch of chords.channels) for (let i = 0; i < ch.length; i++) ch[i] = 0.6 * ch[i]! + 0.6 * kick[i]!;
const files = [
  { name: 'WAV (16-bit)', key: 'bench.wav', bytes: encodeWav(chords.channels, 44_100) },
  { name: 'FLAC (verbatim)', key: 'bench.flac', bytes: encodeFlac(chords.channels, 44_100) },
  { name: 'MP3 (silent frames)', key: 'bench.mp3', bytes: encodeSilentMp3(seconds) },
];

const dir = mkdtempSync(join(tmpdir(), 'bb-audio-bench-'));
writeFileSync(join(dir, 'entry.js'), ENTRY);
writeFileSync(
  join(dir, 'wrangler.toml'),
  `name = "audio-bench"\nmain = "entry.js"\ncompatibility_date = "2026-11-01"\n\n[[r2_buckets]]\nbinding = "AUDIO"\nbucket_name = "bench-audio"\n`,
);
const worker = await unstable_dev(join(dir, 'entry.js'), {
  config: join(dir, 'wrangler.toml'),
  persistTo: join(dir, 'state'),
  logLevel: 'error',
  experimental: { disableExperimentalWarning: true },
});
try {
  // wrangler may start more than one workerd (its proxy beside the user Worker): CPU is summed over
  // them, memory is read on the one that works during the warm-up, which runs the Worker.
  for (const f of files) {
    const put = await worker.fetch(`/?key=${f.key}&bytes=${f.bytes.length}`, { method: 'PUT', body: f.bytes });
    if (!put.ok) throw new Error(`storing ${f.key}: ${put.status} ${await put.text()}`);
  }
  // Warm-up: the decoders' modules are instantiated and the code compiled once per isolate.
  const warm = [
    { key: 'warm.wav', bytes: encodeWav([chords.channels[0]!.subarray(0, 44_100 * 5)], 44_100) },
    { key: 'warm.flac', bytes: encodeFlac([chords.channels[0]!.subarray(0, 44_100 * 5)], 44_100) },
    { key: 'warm.mp3', bytes: encodeSilentMp3(5) },
  ];
  for (const w of warm) await (await worker.fetch(`/?key=${w.key}&bytes=${w.bytes.length}`, { method: 'PUT', body: w.bytes })).text();
  // Listed once every request has gone through (the second process starts with the first request).
  const pids = workerdPids();
  if (pids.length === 0) throw new Error('no workerd process was started under this one');
  const cpuAll = () => pids.reduce((s, p) => s + cpuSeconds(p), 0);
  const warmStart = pids.map(cpuSeconds);
  for (const w of warm) await (await worker.fetch(`/?key=${w.key}`)).text();
  const warmCpu = pids.map((p, i) => cpuSeconds(p) - warmStart[i]!);
  const pid = pids[warmCpu.indexOf(Math.max(...warmCpu))]!;
  console.log(`Analysing ${seconds} s inside workerd (load average ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores)\n`);
  console.log('file                    MB    CPU s   audio s per CPU s   peak RSS growth MB   retained values   found');
  for (const f of files) {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    const rssBefore = statusKb(pid, 'VmRSS');
    const cpuBefore = cpuAll();
    const res = await worker.fetch(`/?key=${f.key}`);
    const body = (await res.json()) as { tempo: number; key: number; mode: number; duration_ms: number; stats: { retainedValues: number } };
    const cpu = cpuAll() - cpuBefore;
    const growth = (statusKb(pid, 'VmHWM') - rssBefore) / 1024;
    const found = `${body.tempo.toFixed(1)} BPM, key ${body.key} ${body.mode ? 'major' : 'minor'}, ${(body.duration_ms / 1000).toFixed(1)} s`;
    console.log(
      `${f.name.padEnd(20)} ${(f.bytes.length / 1e6).toFixed(1).padStart(5)} ${cpu.toFixed(2).padStart(8)} ${(seconds / cpu).toFixed(0).padStart(19)} ${growth.toFixed(1).padStart(20)} ${String(body.stats.retainedValues).padStart(17)}   ${found}`,
    );
  }
  if (workerdPids().join() !== pids.join()) throw new Error('workerd processes changed during the runs: the figures are not comparable');
  console.log(`\nworkerd resident set after the runs: ${(statusKb(pid, 'VmRSS') / 1024).toFixed(0)} MB (runtime included)`);
} finally {
  await worker.stop();
  rmSync(dir, { recursive: true, force: true });
}
