/**
 * Node-only helpers for the evaluation and the tests (not part of the pure analysis core): the
 * reference integrated loudness of a file from `ffmpeg -af ebur128`, and file-based analysis.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { analyseStream, type StreamAnalysis } from '../../../audio/decode/index.ts';

export const FFMPEG = process.env.FFMPEG ?? 'ffmpeg';

/** True when an ffmpeg with the ebur128 filter can be run. */
export function hasFfmpeg(): boolean {
  const r = spawnSync(FFMPEG, ['-hide_banner', '-h', 'filter=ebur128'], { encoding: 'utf8' });
  return r.status === 0 && /EBU R128/.test(r.stdout);
}

/** Integrated loudness (LUFS, 0.1 LU resolution) that `ffmpeg -af ebur128` reports for a file. */
export function ffmpegLoudness(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      FFMPEG,
      ['-hide_banner', '-nostats', '-i', file, '-af', 'ebur128=framelog=verbose', '-f', 'null', '-'],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (err) return reject(new Error(`ffmpeg failed on ${file}: ${stderr.slice(-500)}`));
        const m = [...stderr.matchAll(/I:\s+(-?[\d.]+|-inf) LUFS/g)].pop();
        if (!m) return reject(new Error(`no integrated loudness in ffmpeg's output for ${file}`));
        resolve(m[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(m[1]));
      },
    );
  });
}

/** Encodes `wav` into another format with ffmpeg (`-c:a codec`, extra args after it). */
export function ffmpegEncode(wav: string, out: string, args: readonly string[]): void {
  const r = spawnSync(FFMPEG, ['-v', 'error', '-y', '-i', wav, ...args, out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg could not write ${out}: ${r.stderr}`);
}

export function analyseFile(file: string): Promise<StreamAnalysis> {
  return analyseStream(createReadStream(file, { highWaterMark: 256 * 1024 }));
}
