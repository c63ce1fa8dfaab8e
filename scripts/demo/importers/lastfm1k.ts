/**
 * Last.fm 1K listening log (Celma 2010): one scrobble a line — userid, ISO timestamp, artist MBID,
 * artist name, track MBID, track name — sorted by user, newest first. Each scrobble becomes a play:
 * play_start at its time and play_end (or skip, under 30 s) when the user's next scrobble began
 * (capped at the assumed track length). Dates are shifted so the newest play lands an hour ago, or
 * kept with `keepDates`. A `userid-profile.tsv` beside the file gives countries.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DemoEvent } from '../history.ts';
import type { Dataset, ImportTrack, ImportUser } from './dataset.ts';
import { IssueLog, textId } from './issues.ts';

const TRACK_MS = 240_000;

interface Scrobble {
  line: number;
  user: string;
  ts: number;
  artistId: string;
  artistName: string;
  trackId: string;
  trackName: string;
}

async function* scrobbles(file: string, issues: IssueLog | null): AsyncGenerator<Scrobble> {
  const name = basename(file);
  let line = 0;
  for await (const raw of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (raw.trim() === '') continue;
    const cols = raw.split('\t');
    if (cols.length !== 6) {
      issues?.add(name, line, 'expected 6 tab-separated columns');
      continue;
    }
    const [user, time, artistMbid, artistName, trackMbid, trackName] = cols.map((c) => c.trim()) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const ts = Date.parse(time);
    if (!user || Number.isNaN(ts)) {
      issues?.add(name, line, 'missing user or unreadable timestamp');
      continue;
    }
    if (!artistName || !trackName) {
      issues?.add(name, line, 'missing artist or track name');
      continue;
    }
    yield {
      line,
      user,
      ts,
      artistId: `lfm-a-${artistMbid || textId(artistName.toLowerCase())}`,
      artistName: artistName.slice(0, 300),
      trackId: `lfm-t-${trackMbid || textId(`${artistName.toLowerCase()}\u0000${trackName.toLowerCase()}`)}`,
      trackName: trackName.slice(0, 300),
    };
  }
}

/** English country name → ISO 3166-1 alpha-2, built from Intl instead of a hand-kept table. */
function countryCodes(): Map<string, string> {
  const names = new Intl.DisplayNames('en', { type: 'region' });
  const map = new Map<string, string>();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      try {
        const n = names.of(code);
        if (n && n !== code) map.set(normaliseCountry(n), code);
      } catch {
        // not a region code
      }
    }
  }
  // The dataset's spellings that differ from CLDR's.
  const aliases: [string, string][] = [
    ['russian federation', 'RU'],
    ['turkey', 'TR'],
    ['korea, republic of', 'KR'],
    ["korea, democratic people's republic of", 'KP'],
    ['viet nam', 'VN'],
    ['iran, islamic republic of', 'IR'],
    ['czech republic', 'CZ'],
    ['macedonia', 'MK'],
    ["cote d'ivoire", 'CI'],
    ['congo, the democratic republic of the', 'CD'],
    ['united states minor outlying islands', 'UM'],
    ['netherlands antilles', 'BQ'],
    ['libyan arab jamahiriya', 'LY'],
    ['syrian arab republic', 'SY'],
    ['taiwan, province of china', 'TW'],
  ];
  for (const [n, c] of aliases) map.set(n, c);
  return map;
}

/** ISO-style names ("Bosnia and Herzegovina") and CLDR's ("Bosnia & Herzegovina") compare equal. */
function normaliseCountry(name: string): string {
  return name.toLowerCase().replace(/ & /g, ' and ').trim();
}

export function lastfm1kDataset(file: string, opts: { keepDates?: boolean; now?: number } = {}): Dataset {
  const issues = new IssueLog();
  const now = opts.now ?? Date.now();
  let shift: number | null = null;
  const shiftOf = async () => {
    if (shift !== null) return shift;
    if (opts.keepDates) {
      shift = 0;
      return shift;
    }
    let newest = 0;
    for await (const s of scrobbles(file, null)) if (s.ts > newest) newest = s.ts;
    shift = newest > 0 ? now - 3_600_000 - newest : 0;
    return shift;
  };
  return {
    name: 'Last.fm 1K listening log',
    issues,
    notes: [
      opts.keepDates ? 'original dates kept' : 'dates shifted so the newest play was an hour ago (--keep-dates keeps them)',
      `track length unknown: ${TRACK_MS / 1000} s assumed; a play lasts until the user's next scrobble, under 30 s counts as a skip`,
    ],
    async tracks() {
      const tracks = new Map<string, ImportTrack>();
      for await (const s of scrobbles(file, issues)) {
        if (!tracks.has(s.trackId)) {
          tracks.set(s.trackId, {
            id: s.trackId,
            title: s.trackName,
            artist: { id: s.artistId, name: s.artistName },
            duration_ms: TRACK_MS,
          });
        }
      }
      return [...tracks.values()];
    },
    async users() {
      const profile = join(dirname(file), 'userid-profile.tsv');
      if (!existsSync(profile)) return [];
      const codes = countryCodes();
      const users: ImportUser[] = [];
      readFileSync(profile, 'utf8')
        .split('\n')
        .forEach((raw, i) => {
          if (i === 0 || raw.trim() === '') return;
          const cols = raw.split('\t');
          const id = cols[0]?.trim();
          if (!id) {
            issues.add('userid-profile.tsv', i + 1, 'profile without user id');
            return;
          }
          const country = cols[3]?.trim();
          const code = country ? codes.get(normaliseCountry(country)) : undefined;
          if (country && !code) issues.add('userid-profile.tsv', i + 1, 'country name not recognised (user kept without country)');
          users.push({ id: `lfm-${id}`, ...(code ? { country: code } : {}) });
        });
      return users;
    },
    async *events() {
      const delta = await shiftOf();
      // Newest first per user: the previous line of the same user is the next play in time.
      let next: Scrobble | null = null;
      for await (const s of scrobbles(file, null)) {
        const gap = next && next.user === s.user && next.ts >= s.ts ? next.ts - s.ts : TRACK_MS;
        const ms = Math.min(gap, TRACK_MS);
        const ts = s.ts + delta;
        const base = { user_id: `lfm-${s.user}`, track_id: s.trackId, context: { source: 'other' as const } };
        const id = `lfm-${s.user}-${s.ts}-${textId(s.trackId)}`;
        yield { ...base, event_id: `${id}-s`, type: 'play_start', ts } satisfies DemoEvent;
        yield { ...base, event_id: `${id}-e`, type: ms < 30_000 ? 'skip' : 'play_end', ts: ts + ms, ms_played: ms } satisfies DemoEvent;
        next = s;
      }
    },
  };
}
