/**
 * npm run analyze -- FILES… [--json] [--upload --url URL --key KEY] [--track-id ID]
 *
 * Analyses audio files (WAV, MP3, FLAC, Ogg Vorbis; detected from their bytes) with the streaming
 * analyser of audio/ and prints their features, one line per file (`--json`: one JSON object per
 * line). Progress goes to stderr. A file that cannot be read or decoded is reported by name and the
 * others are still processed; the exit code is 1 if any file failed.
 *
 * `--upload` writes the catalogue audio features to a running Backbeat (app or admin key): it reads
 * the track (`GET /v1/tracks/:id`, the id being the file name without its extension, or `--track-id`
 * for a single file), keeps its title, artist, duration, release date, genre, tags and the features the
 * analyser does not estimate (valence, speechiness, liveness), and writes it back with the new
 * tempo, key, mode, energy, danceability, acousticness, instrumentalness and loudness through
 * `PUT /v1/tracks` (the catalogue's create-or-replace batch; a track must exist first).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { AudioAnalysis } from '../../audio/analyser.ts';
import { type CatalogueAudioFeatures, toCatalogueFeatures } from '../../audio/catalogue.ts';
import { AudioDecodeError, analyseStream } from '../../audio/decode/index.ts';

const USAGE = 'usage: npm run analyze -- FILES… [--json] [--upload --url URL --key KEY] [--track-id ID]';
const ID_PATTERN = /^[A-Za-z0-9._:@+=~-]{1,128}$/;

const { values: a, positionals: files } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    upload: { type: 'boolean', default: false },
    url: { type: 'string', default: process.env.BACKBEAT_URL ?? 'http://localhost:8787' },
    key: { type: 'string', default: process.env.BACKBEAT_KEY },
    'track-id': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const NAMES = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];

function describe(f: AudioAnalysis): string {
  const key = f.key < 0 ? 'no key' : `${NAMES[f.key]} ${f.mode === 1 ? 'major' : 'minor'} (${f.key_confidence.toFixed(2)})`;
  return [
    `tempo ${f.tempo.toFixed(1)} BPM (beat strength ${f.beat_strength.toFixed(2)})`,
    `key ${key}`,
    `loudness ${f.loudness.toFixed(1)} LUFS`,
    `energy ${f.energy.toFixed(2)}`,
    `danceability ${f.danceability.toFixed(2)}`,
    `acousticness ${f.acousticness.toFixed(2)}`,
    `instrumentalness ${f.instrumentalness.toFixed(2)}`,
    `duration ${(f.duration_ms / 1000).toFixed(1)} s`,
  ].join(', ');
}

interface StoredTrack {
  id: string;
  title: string;
  artist: { id: string; name: string };
  duration_ms: number;
  release_date: string | null;
  genre: string | null;
  tags: string[];
  audio_features: Record<string, number | null>;
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const url = `${a.url!.replace(/\/+$/, '')}${path}`;
  try {
    return await fetch(url, {
      ...init,
      headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/json', ...init.headers },
    });
  } catch (e) {
    throw new Error(`cannot reach ${url}: ${(e as Error).message}`);
  }
}

async function errorText(res: Response): Promise<string> {
  const body = await res.text();
  try {
    const j = JSON.parse(body) as { error?: { message?: string } };
    return j.error?.message ?? body.slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}

async function upload(trackId: string, features: CatalogueAudioFeatures): Promise<void> {
  const got = await api(`/v1/tracks/${encodeURIComponent(trackId)}`);
  if (got.status === 404) throw new Error(`track ${trackId} is not in the catalogue (create it with PUT /v1/tracks first)`);
  if (!got.ok) throw new Error(`GET /v1/tracks/${trackId}: ${got.status} ${await errorText(got)}`);
  const t = (await got.json()) as StoredTrack;
  const kept = Object.fromEntries(
    Object.entries(t.audio_features).filter(([k, v]) => v !== null && ['valence', 'speechiness', 'liveness'].includes(k)),
  );
  const track = {
    id: t.id,
    title: t.title,
    artist: t.artist,
    duration_ms: t.duration_ms,
    ...(t.release_date ? { release_date: t.release_date } : {}),
    ...(t.genre ? { genre: t.genre } : {}),
    tags: t.tags,
    audio_features: { ...kept, ...features },
  };
  const put = await api('/v1/tracks', { method: 'PUT', body: JSON.stringify({ tracks: [track] }) });
  const body = (await put.json().catch(() => ({}))) as { accepted?: number; rejected?: { errors: { path: string; message: string }[] }[] };
  if (!put.ok || body.accepted !== 1) {
    const why = body.rejected?.[0]?.errors.map((e) => `${e.path}: ${e.message}`).join('; ') ?? `status ${put.status}`;
    throw new Error(`PUT /v1/tracks rejected ${trackId}: ${why}`);
  }
}

async function main(): Promise<number> {
  if (a.help || files.length === 0) {
    console.error(USAGE);
    return a.help ? 0 : 2;
  }
  if (a['track-id'] !== undefined && files.length !== 1) {
    console.error('--track-id names the track of a single file; with several files each id is the file name without its extension');
    return 2;
  }
  if (a.upload && !a.key) {
    console.error('--upload needs --key (an app or admin key; or set BACKBEAT_KEY)');
    return 2;
  }
  let failed = 0;
  const t0 = performance.now();
  for (const [i, file] of files.entries()) {
    const trackId = a['track-id'] ?? basename(file, extname(file));
    if (files.length > 1) process.stderr.write(`[${i + 1}/${files.length}] ${file}\n`);
    try {
      const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
        throw new Error(e.code === 'ENOENT' ? 'no such file' : `cannot read: ${e.message}`);
      });
      if (!info.isFile()) throw new Error('not a regular file');
      const started = performance.now();
      const { format, features } = await analyseStream(createReadStream(file, { highWaterMark: 256 * 1024 }));
      const seconds = (performance.now() - started) / 1000;
      const catalogue = toCatalogueFeatures(features);
      let uploaded = false;
      if (a.upload) {
        if (!ID_PATTERN.test(trackId))
          throw new Error(`"${trackId}" is not a valid track id (1–128 of A–Z a–z 0–9 . _ : @ + = ~ -); use --track-id`);
        await upload(trackId, catalogue);
        uploaded = true;
      }
      if (a.json) console.log(JSON.stringify({ file, track_id: trackId, format, features, catalogue, uploaded }));
      else console.log(`${file} (${format}, ${seconds.toFixed(2)} s): ${describe(features)}${uploaded ? ` — uploaded to ${trackId}` : ''}`);
    } catch (e) {
      failed++;
      const message = e instanceof AudioDecodeError ? `${e.message} [${e.code}]` : (e as Error).message;
      if (a.json) console.log(JSON.stringify({ file, track_id: trackId, error: message }));
      console.error(`${file}: ${message}`);
    }
  }
  if (files.length > 1) {
    process.stderr.write(
      `${files.length - failed} of ${files.length} analysed in ${((performance.now() - t0) / 1000).toFixed(1)} s${failed ? `, ${failed} failed` : ''}\n`,
    );
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
