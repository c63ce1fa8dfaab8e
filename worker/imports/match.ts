/**
 * Matches a platform's track to the catalogue. Pure; build once per import, then `match()` per
 * listen (answers are memoised per distinct track, so a 300 000-listen history costs one lookup per
 * distinct track).
 *
 * Order, first hit wins:
 * 1. `isrc`: the listen's ISRC equals a catalogue row's (score 1).
 * 2. `platform_id`: the listen's platform track id equals the row's `platform_ids[platform]`
 *    (Spotify ids compared without the `spotify:track:` prefix) (score 1).
 * 3. `exact`: equal normalised title key and version (normalise.ts) and compatible artists
 *    (score 1 for equal artist keys, 0.95 for a shared primary artist or a credited part).
 * 4. `fuzzy` (fastest-levenshtein; similarity = 1 − distance / longer length):
 *    a. title similarity ≥ 0.85 (FUZZY_TITLE_MIN) against rows with a compatible artist and the same
 *       version; or
 *    b. equal title key and version, artist similarity ≥ 0.8 (FUZZY_ARTIST_MIN).
 *    Short-string guard: both keys must have ≥ 6 characters (titles) or ≥ 5 (artists), so "Hello"
 *    never turns into "Hallo", nor "Adel" into "Adele". Further guards: the digits must agree ("Song 2"
 *    ≠ "Song 3", "Part 1" ≠ "Part 2"), a plural is not a typo ("Yesterday" ≠ "Yesterdays"), and if two
 *    different tracks tie for the best score the listen stays unmatched.
 * Versions never cross: a live, remix, acoustic… listen matches only a row with the same version
 * text, and a plain listen never matches a row that is only a live or remix version.
 */
import { distance } from 'fastest-levenshtein';
import { type ArtistKey, artistKey, artistsCompatible, type TitleKey, titleKey } from './normalise.ts';
import { normaliseIsrc } from './text.ts';
import type { Listen, Platform } from './types.ts';

export const FUZZY_TITLE_MIN = 0.85;
export const FUZZY_ARTIST_MIN = 0.8;
export const FUZZY_TITLE_MIN_LENGTH = 6;
export const FUZZY_ARTIST_MIN_LENGTH = 5;

export interface CatalogueRow {
  track_id: string;
  title: string;
  artist_name: string;
  isrc?: string | null;
  platform_ids?: Partial<Record<Platform, string>> | null;
}

export interface Match {
  track_id: string;
  method: 'isrc' | 'platform_id' | 'exact' | 'fuzzy';
  score: number;
}

/** What the matcher reads from a listen. */
export type MatchQuery = Pick<Listen, 'track_name' | 'artist_name'> & Partial<Pick<Listen, 'isrc' | 'platform_track_id' | 'platform'>>;

interface Entry {
  track_id: string;
  title: TitleKey;
  artist: ArtistKey;
}

function platformId(platform: Platform | undefined, id: string): string {
  return `${platform ?? ''}:${platform === 'spotify' ? id.replace(/^spotify:track:/, '') : id}`;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function similarity(a: string, b: string): number {
  const n = Math.max([...a].length, [...b].length);
  return n === 0 ? 0 : 1 - distance(a, b) / n;
}

const digits = (s: string) => (s.match(/\d+/g) ?? []).join(',');

function titleFuzzyAllowed(a: string, b: string): boolean {
  if ([...a].length < FUZZY_TITLE_MIN_LENGTH || [...b].length < FUZZY_TITLE_MIN_LENGTH) return false;
  if (digits(a) !== digits(b)) return false;
  if (a === `${b}s` || b === `${a}s` || a === `${b}es` || b === `${a}es`) return false;
  return true;
}

export class TrackMatcher {
  readonly size: number;
  private readonly byIsrc = new Map<string, string>();
  private readonly byPlatformId = new Map<string, string>();
  /** title key + "\0" + version → rows */
  private readonly byTitle = new Map<string, Entry[]>();
  /** artist key and each part → rows */
  private readonly byArtist = new Map<string, Entry[]>();
  private readonly memo = new Map<string, Match | null>();

  constructor(rows: Iterable<CatalogueRow>) {
    let n = 0;
    for (const row of rows) {
      n++;
      const isrc = normaliseIsrc(row.isrc);
      if (isrc && !this.byIsrc.has(isrc)) this.byIsrc.set(isrc, row.track_id);
      for (const [p, id] of Object.entries(row.platform_ids ?? {})) {
        if (id) this.byPlatformId.set(platformId(p as Platform, id), row.track_id);
      }
      const e: Entry = { track_id: row.track_id, title: titleKey(row.title), artist: artistKey(row.artist_name) };
      if (e.title.key === '') continue;
      push(this.byTitle, `${e.title.key}\u0000${e.title.version}`, e);
      for (const k of new Set([e.artist.key, ...e.artist.parts])) push(this.byArtist, k, e);
    }
    this.size = n;
  }

  /** The catalogue track for a listen, or null (see the module comment for the order and the rules). */
  match(q: MatchQuery): Match | null {
    const isrc = normaliseIsrc(q.isrc);
    if (isrc) {
      const id = this.byIsrc.get(isrc);
      if (id) return { track_id: id, method: 'isrc', score: 1 };
    }
    if (q.platform_track_id) {
      const id = this.byPlatformId.get(platformId(q.platform, q.platform_track_id));
      if (id) return { track_id: id, method: 'platform_id', score: 1 };
    }
    const memoKey = `${q.artist_name}\u0000${q.track_name}`;
    const known = this.memo.get(memoKey);
    if (known !== undefined) return known;
    const m = this.byName(q.track_name, q.artist_name);
    this.memo.set(memoKey, m);
    return m;
  }

  private byName(trackName: string, artistName: string): Match | null {
    const title = titleKey(trackName);
    const artist = artistKey(artistName);
    if (title.key === '' || artist.key === '') return null;
    const sameTitle = this.byTitle.get(`${title.key}\u0000${title.version}`) ?? [];

    // 3. exact
    let best: Match | null = null;
    for (const e of sameTitle) {
      if (!artistsCompatible(artist, e.artist)) continue;
      const score = e.artist.key === artist.key ? 1 : 0.95;
      if (!best || score > best.score) best = { track_id: e.track_id, method: 'exact', score };
    }
    if (best) return best;

    // 4. fuzzy
    const scored = new Map<string, number>();
    const consider = (id: string, score: number) => scored.set(id, Math.max(scored.get(id) ?? 0, score));
    const seen = new Set<Entry>();
    for (const k of new Set([artist.key, ...artist.parts])) {
      for (const e of this.byArtist.get(k) ?? []) {
        if (seen.has(e)) continue;
        seen.add(e);
        if (e.title.version !== title.version || !artistsCompatible(artist, e.artist)) continue;
        if (!titleFuzzyAllowed(title.key, e.title.key)) continue;
        const sim = similarity(title.key, e.title.key);
        if (sim >= FUZZY_TITLE_MIN) consider(e.track_id, sim * (e.artist.key === artist.key ? 1 : 0.95));
      }
    }
    if ([...artist.key].length >= FUZZY_ARTIST_MIN_LENGTH) {
      for (const e of sameTitle) {
        if ([...e.artist.key].length < FUZZY_ARTIST_MIN_LENGTH || digits(e.artist.key) !== digits(artist.key)) continue;
        const sim = similarity(artist.key, e.artist.key);
        if (sim >= FUZZY_ARTIST_MIN) consider(e.track_id, sim);
      }
    }
    let top: Match | null = null;
    let tie = false;
    for (const [id, score] of scored) {
      if (!top || score > top.score + 1e-9) {
        top = { track_id: id, method: 'fuzzy', score: Math.round(score * 1000) / 1000 };
        tie = false;
      } else if (Math.abs(score - top.score) <= 1e-3) tie = true;
    }
    return tie ? null : top;
  }
}

/** Builds a matcher over catalogue rows. */
export function createMatcher(rows: Iterable<CatalogueRow>): TrackMatcher {
  return new TrackMatcher(rows);
}

export interface UnmatchedTrack {
  artist_name: string;
  track_name: string;
  plays: number;
}

export interface MatchSummary {
  /** Listens matched to a catalogue track. */
  matched: number;
  /** Listens matched, by method. */
  by_method: Record<Match['method'], number>;
  /** Listens not matched, as distinct tracks with their listen counts, most played first. */
  unmatched: UnmatchedTrack[];
  unmatched_listens: number;
}

/** Tallies matches for the import report: unmatched listens are kept and listed, never dropped. */
export class MatchReport {
  matched = 0;
  readonly byMethod: Record<Match['method'], number> = { isrc: 0, platform_id: 0, exact: 0, fuzzy: 0 };
  private readonly unmatched = new Map<string, UnmatchedTrack>();
  private unmatchedListens = 0;

  add(listen: Pick<Listen, 'artist_name' | 'track_name'>, match: Match | null): void {
    if (match) {
      this.matched++;
      this.byMethod[match.method]++;
      return;
    }
    this.unmatchedListens++;
    const key = `${listen.artist_name}\u0000${listen.track_name}`;
    const u = this.unmatched.get(key);
    if (u) u.plays++;
    else this.unmatched.set(key, { artist_name: listen.artist_name, track_name: listen.track_name, plays: 1 });
  }

  /** `limit` caps the unmatched list (the counts stay whole). */
  summary(limit = Number.POSITIVE_INFINITY): MatchSummary {
    const unmatched = [...this.unmatched.values()]
      .sort((a, b) => b.plays - a.plays || a.artist_name.localeCompare(b.artist_name) || a.track_name.localeCompare(b.track_name))
      .slice(0, limit);
    return { matched: this.matched, by_method: { ...this.byMethod }, unmatched, unmatched_listens: this.unmatchedListens };
  }
}
