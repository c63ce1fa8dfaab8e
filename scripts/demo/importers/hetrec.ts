/**
 * Last.fm HetRec 2011 (2K users): user × artist play counts, artist names, user tags. Backbeat's
 * events are per track, and HetRec knows artists only, so each artist becomes one stand-in track
 * ("<artist> — top track") tagged with the artist's most used tags; each user–artist count becomes
 * a few completed plays (log2 of the count, capped) spread over the last `days` days.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoEvent } from '../history.ts';
import { hashSeed, Rng } from '../rng.ts';
import type { Dataset, ImportTrack } from './dataset.ts';
import { IssueLog } from './issues.ts';

const DAY = 86_400_000;
const TRACK_MS = 210_000;

export interface HetrecOptions {
  maxPlaysPerPair?: number;
  days?: number;
  now?: number;
}

function rows(dir: string, file: string, encoding: BufferEncoding, columns: number, issues: IssueLog): { line: number; cols: string[] }[] {
  const text = readFileSync(join(dir, file), encoding);
  const out: { line: number; cols: string[] }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (i === 0 || raw.trim() === '') return; // header, trailing newline
    const cols = raw.replace(/\r$/, '').split('\t');
    if (cols.length < columns) issues.add(file, i + 1, `expected ${columns} tab-separated columns`);
    else out.push({ line: i + 1, cols });
  });
  return out;
}

const positiveInt = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s.trim()) ? Number(s) : null);

export function hetrecDataset(dir: string, opts: HetrecOptions = {}): Dataset {
  const issues = new IssueLog();
  const maxPlays = opts.maxPlaysPerPair ?? 20;
  const days = opts.days ?? 90;
  const now = opts.now ?? Date.now();
  const artistNames = new Map<number, string>();
  for (const { line, cols } of rows(dir, 'artists.dat', 'utf8', 2, issues)) {
    const id = positiveInt(cols[0]);
    const name = cols[1]?.trim();
    if (id === null) issues.add('artists.dat', line, 'artist id is not a number');
    else if (!name) issues.add('artists.dat', line, 'artist has no name');
    else artistNames.set(id, name.slice(0, 300));
  }
  // tags.dat is latin-1, not UTF-8 (see SOURCE.md).
  const tagNames = new Map<number, string>();
  for (const { cols } of rows(dir, 'tags.dat', 'latin1', 2, issues)) {
    const id = positiveInt(cols[0]);
    const tag = cols[1]?.trim().toLowerCase();
    if (id !== null && tag) tagNames.set(id, tag.slice(0, 64));
  }
  const tagCounts = new Map<number, Map<string, number>>();
  for (const { line, cols } of rows(dir, 'user_taggedartists.dat', 'utf8', 3, issues)) {
    const artist = positiveInt(cols[1]);
    const tag = tagNames.get(positiveInt(cols[2]) ?? -1);
    if (artist === null || !tag) {
      issues.add('user_taggedartists.dat', line, 'unknown tag or bad artist id');
      continue;
    }
    if (!artistNames.has(artist)) continue; // 390 tagged artists are missing from artists.dat; their plays report it
    const m = tagCounts.get(artist) ?? new Map<string, number>();
    m.set(tag, (m.get(tag) ?? 0) + 1);
    tagCounts.set(artist, m);
  }
  const topTags = (artist: number) =>
    [...(tagCounts.get(artist) ?? new Map<string, number>())]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([t]) => t);

  return {
    name: 'Last.fm HetRec 2011 (2K users)',
    issues,
    notes: [
      'one stand-in track per artist (HetRec has artist play counts, not tracks); genre = the artist’s most used tag',
      `each user–artist count becomes log2(count) completed plays (at most ${maxPlays}) over the last ${days} days`,
    ],
    async tracks() {
      return [...artistNames].map(([id, name]): ImportTrack => {
        const tags = topTags(id);
        return {
          id: `hetrec-t-${id}`,
          title: `${name} — top track`,
          artist: { id: `hetrec-a-${id}`, name },
          duration_ms: TRACK_MS,
          ...(tags[0] ? { genre: tags[0], tags } : {}),
        };
      });
    },
    async users() {
      return [];
    },
    async *events() {
      for (const { line, cols } of rows(dir, 'user_artists.dat', 'utf8', 3, issues)) {
        const user = positiveInt(cols[0]);
        const artist = positiveInt(cols[1]);
        const weight = positiveInt(cols[2]);
        if (user === null || artist === null || weight === null || weight === 0) {
          issues.add('user_artists.dat', line, 'user, artist or weight is not a positive number');
          continue;
        }
        if (!artistNames.has(artist)) {
          issues.add('user_artists.dat', line, 'artist missing from artists.dat');
          continue;
        }
        const rng = new Rng(hashSeed('hetrec', user, artist));
        const plays = Math.min(maxPlays, Math.max(1, Math.round(Math.log2(weight + 1))));
        for (let k = 0; k < plays; k++) {
          const ts = Math.round(now - rng.range(0.05, days) * DAY);
          const base: Omit<DemoEvent, 'event_id' | 'type' | 'ts'> = {
            user_id: `hetrec-u-${user}`,
            track_id: `hetrec-t-${artist}`,
            context: { source: 'other' },
          };
          yield { ...base, event_id: `hetrec-${user}-${artist}-${k}-s`, type: 'play_start', ts };
          yield { ...base, event_id: `hetrec-${user}-${artist}-${k}-e`, type: 'play_end', ts: ts + TRACK_MS, ms_played: TRACK_MS };
        }
      }
    },
  };
}
