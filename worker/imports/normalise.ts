/**
 * Normalised keys for matching a platform's track to the catalogue by artist + title. Pure.
 *
 * Text folding (both title and artist): NFKC (full-width Latin and half-width katakana to their usual
 * forms); Latin letters lose their accents (NFKD, combining marks dropped; ß→ss, ø→o, æ→ae, œ→oe,
 * ł→l, đ→d, þ→th); letters of every other script are kept as they are (a Japanese dakuten, a Korean
 * syllable or a Cyrillic й is a different letter, not an accent), except Cyrillic ё→е, the
 * spelling Russian print itself uses; lower case; apostrophes dropped; `&` and `+` read as "and";
 * everything that is not a letter, digit or mark separates words. Keys are the words run together,
 * so spacing and punctuation ("R.E.M.", "Guns N' Roses", "AC/DC") do not matter.
 *
 * Title: featuring credits are removed ("(feat. X)", "[ft. X]", "(with X)", "- feat. X", trailing
 * "feat. X"). Every bracketed part (() [] {} 【】) and every " - " suffix is classified:
 * - neutral, dropped: remasters ("Remastered 2011", "(2011 Remaster)", "2015 Remastered Version"),
 *   radio / single / album edits and versions, mono / stereo, explicit / clean, deluxe / bonus /
 *   anniversary editions, "Original Mix", "From …" soundtrack credits. A radio edit is the same
 *   recording cut shorter, so it is treated as the track.
 * - version, kept apart as the track's *version*: live, remix / mix, acoustic, unplugged, demo,
 *   instrumental, karaoke, extended, session, re-recorded and "(X's Version)", cover, orchestral,
 *   stripped, reprise, intro / interlude / outro, slowed / sped up, a cappella, alternate take….
 *   Different recordings are different tracks: a listen matches only a catalogue track with the same
 *   version text ("(Live at Wembley)" = "- Live at Wembley", "(Live Version)" = "- Live"), never the
 *   studio track, and a remix never matches the original or another remix.
 * - numbered ("Part 2", "Pt. II", "Vol. 3", "No. 5"): kept in the title.
 * - anything else ("(I Can't Get No) Satisfaction", "(Sittin' On) The Dock of the Bay"): dropped.
 *
 * Artist: featuring credits removed; a leading "The" dropped; the credit is also split into parts at
 * `,` `;` `/` ` & ` ` + ` ` x ` ` and ` ` vs ` ` with ` so that "Calvin Harris, Dua Lipa" is
 * compatible with "Calvin Harris".
 */

const SPECIAL: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  ø: 'o',
  Ø: 'o',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  þ: 'th',
  Þ: 'th',
  ð: 'd',
  ı: 'i',
  ё: 'е',
  Ё: 'е',
};
const LATIN = /\p{Script=Latin}/u;
const MARKS = /\p{M}/gu;

/** Folds case, Latin accents and compatibility forms (see above). */
export function fold(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFKC')) {
    const sp = SPECIAL[ch];
    if (sp !== undefined) out += sp;
    else if (LATIN.test(ch)) out += ch.normalize('NFKD').replace(MARKS, '');
    else out += ch;
  }
  return out.toLowerCase();
}

/** The folded words of a text. */
export function words(s: string): string[] {
  return fold(s)
    .replace(/['’‘`´ʼ]/g, '')
    .replace(/[&+]/g, ' and ')
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter((w) => w !== '');
}

const NEUTRAL_WORDS = new Set([
  'remaster',
  'remastered',
  'remasterd',
  'digital',
  'digitally',
  'version',
  'edition',
  'anniversary',
  'deluxe',
  'expanded',
  'bonus',
  'track',
  'mono',
  'stereo',
  'radio',
  'single',
  'album',
  'edit',
  'explicit',
  'clean',
  'dirty',
  'lp',
  'special',
  'super',
  'in',
  'the',
]);
const VERSION_WORDS = new Set([
  'live',
  'remix',
  'remixed',
  'rmx',
  'mix',
  'acoustic',
  'unplugged',
  'instrumental',
  'karaoke',
  'demo',
  'extended',
  'session',
  'sessions',
  'rerecorded',
  'recorded',
  'cover',
  'orchestral',
  'stripped',
  'reprise',
  'interlude',
  'intro',
  'outro',
  'dub',
  'vip',
  'bootleg',
  'mashup',
  'slowed',
  'sped',
  'reverb',
  'nightcore',
  'acapella',
  'cappella',
  'rehearsal',
  'alternate',
  'take',
  'version',
  'vivo',
  'directo',
  'rework',
  'edit',
]);
/** Words dropped from a version text so "(Live Version)" and "- Live" agree. */
const VERSION_FILLER = new Set(['version', 'recording', 'the']);

type Kind = 'feat' | 'neutral' | 'version' | 'numbered' | 'other';

function classify(content: string): Kind {
  const w = words(content);
  if (w.length === 0) return 'other';
  if (['feat', 'ft', 'featuring', 'with'].includes(w[0]!)) return 'feat';
  if (w[0] === 'from') return 'neutral';
  if (w.length === 2 && w[0] === 'original' && w[1] === 'mix') return 'neutral';
  if (w.every((x) => NEUTRAL_WORDS.has(x) || /^\d{4}$/.test(x) || /^\d+(st|nd|rd|th)$/.test(x))) return 'neutral';
  const version = w.some((x) => VERSION_WORDS.has(x) && x !== 'version' && x !== 'edit');
  // "2015 Paisley Park Remaster": a remaster of anything is still the recording
  if (!version && w.some((x) => x === 'remaster' || x === 'remastered')) return 'neutral';
  if (version || w.some((x) => VERSION_WORDS.has(x))) return 'version';
  if (/^(part|pt|vol|volume|no|op|chapter|act|movement)$/.test(w[0]!) || w.every((x) => /^(\d+|[ivx]+)$/.test(x))) return 'numbered';
  return 'other';
}

export interface TitleKey {
  /** The title's words run together (the index key). */
  key: string;
  /** The title's words with spaces (for reading). */
  words: string;
  /** The version texts ("live at wembley", "tiesto remix"), sorted and joined by "|"; "" for the original. */
  version: string;
}

/** Abbreviations read as their long form ("Pt. 2" = "Part 2"). */
const TITLE_SYNONYMS: Record<string, string> = { pt: 'part', vol: 'volume', n: 'and' };

const BRACKET = /\s*[([{【]([^()[\]{}【】]*)[)\]}】]/g;
const TRAILING_FEAT = /\s+(?:feat\.?|ft\.|featuring)\s.*$/i;

export function titleKey(raw: string): TitleKey {
  const versions: string[] = [];
  const keep = (content: string): string => {
    const kind = classify(content);
    if (kind === 'version') {
      const v = words(content).filter((x) => !VERSION_FILLER.has(x));
      versions.push(v.join(' '));
      return '';
    }
    if (kind === 'numbered') return ` ${content} `;
    return '';
  };
  let s = raw.normalize('NFKC');
  let prev: string;
  do {
    prev = s;
    s = s.replace(BRACKET, (_m, content: string) => keep(content));
  } while (s !== prev);
  const segments = s.split(/\s+[-–—]\s+/);
  let title = segments[0]!;
  for (const seg of segments.slice(1)) {
    const kind = classify(seg);
    if (kind === 'version') keep(seg);
    else if (kind === 'other' || kind === 'numbered') title += ` ${seg}`;
  }
  title = title.replace(TRAILING_FEAT, '');
  let w = words(title).map((x) => TITLE_SYNONYMS[x] ?? x);
  if (w.length === 0) w = words(raw); // a title that is all brackets: keep what there is
  return { key: w.join(''), words: w.join(' '), version: versions.sort().join('|') };
}

export interface ArtistKey {
  key: string;
  /** Keys of the credit's parts; the first is the primary artist. */
  parts: string[];
}

const ARTIST_FEAT = /\s*[([]?\s*\b(?:feat\.?|ft\.|featuring)\s.*$/i;
const ARTIST_SPLIT = /\s*(?:[,;/、]|\s&\s|\s\+\s|\sx\s|\sand\s|\svs\.?\s|\swith\s)\s*/i;

function artistWords(s: string): string {
  const w = words(s);
  if (w.length > 1 && w[0] === 'the') w.shift();
  return w.join('');
}

export function artistKey(raw: string): ArtistKey {
  const s = raw.normalize('NFKC').replace(ARTIST_FEAT, '');
  const key = artistWords(s) || artistWords(raw);
  const parts = s
    .split(ARTIST_SPLIT)
    .map(artistWords)
    .filter((p) => p !== '');
  return { key, parts: parts.length > 0 ? parts : [key] };
}

/** Whether two credits name the same act: equal keys, the same primary artist, or one is a part of the other. */
export function artistsCompatible(a: ArtistKey, b: ArtistKey): boolean {
  if (a.key === '' || b.key === '') return false;
  return a.key === b.key || a.parts[0] === b.parts[0] || a.parts.includes(b.key) || b.parts.includes(a.key);
}
