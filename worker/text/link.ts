/**
 * Links mentions of catalogue artists and tracks in an article's title and body. Pure: the index is
 * built from catalogue rows, and linking reads nothing else.
 *
 * Every place where the words of a name or title occur is a candidate, scored in log-odds (accepted
 * above 0, confidence = logistic(score)). The evidence:
 * - **prior:** a name made only of common words ("Nova", "Home", "The Night") starts well below 0;
 *   an unusual one ("Radiohead") above. Longer names are less likely by chance.
 * - **capitals:** "Home" mid-sentence counts; at the start of a sentence, in a title-cased headline
 *   or in all capitals it says little; "home" in lower case counts against.
 * - **quotation marks** around the whole title (or name).
 * - **cue words** nearby: "singer", "band", "released", "by" for artists; "single", "song" for tracks.
 * - **the artist nearby:** a track title is read as a track when its own artist is linked within
 *   30 words (more when right beside it: "Nova's Home", "Home by Nova"), less so elsewhere in the
 *   text; with no artist at all it loses a point.
 * - **a longer proper name:** a capitalised neighbour outside the match ("Bossa Nova", "Nova Scotia")
 *   counts against.
 * - **one sense per text:** once an entity is linked with confidence, its other occurrences in the text
 *   gain (second pass).
 * Overlaps: the longest accepted span wins, then the higher score; two entities of one kind tied on
 * one span (two tracks called "Night Drive", neither artist mentioned) are both dropped as ambiguous.
 */
import { isCommonPhrase } from './common-words.ts';
import { nameWords, type Token, tokenize } from './tokens.ts';

export type EntityKind = 'artist' | 'track';

/** The catalogue as the linker reads it. */
export interface LinkCatalogue {
  artists: readonly { id: string; name: string }[];
  tracks: readonly { id: string; title: string; artistId: string }[];
}

interface Entry {
  kind: EntityKind;
  id: string;
  /** The artist itself, or the track's artist. */
  artistId: string;
  words: string[];
  common: boolean;
}

/** Catalogue names by their first folded word. Build once per catalogue. */
export interface LinkIndex {
  byFirst: Map<string, Entry[]>;
}

/** A linked entity in one text. */
export interface Mention {
  kind: EntityKind;
  id: string;
  artistId: string;
  /** Accepted occurrences. */
  occurrences: number;
  /** logistic(best occurrence's score), in (0, 1). */
  confidence: number;
  /** [start, end) character offsets in `${title}\n\n${body}` (see linkedText). */
  spans: [number, number][];
}

/** Minor words a title-cased name may leave in lower case ("The Sound of Silence"). */
const MINOR = new Set(['a', 'an', 'the', 'of', 'in', 'on', 'at', 'to', 'and', 'or', 'for', 'by', 'with', 'from', 'de', 'la', 'le', 'el']);
const ARTIST_CUES = new Set([
  'band',
  'singer',
  'rapper',
  'producer',
  'duo',
  'trio',
  'quartet',
  'group',
  'songwriter',
  'artist',
  'frontman',
  'frontwoman',
  'dj',
  'mc',
  'album',
  'ep',
  'lp',
  'single',
  'record',
  'tour',
  'toured',
  'by',
  'feat',
  'ft',
  'featuring',
  'released',
  'releases',
  'release',
  'debut',
  'headline',
  'headlined',
  'headlining',
  'performed',
  'performs',
  'sings',
  'sang',
  'drops',
  'dropped',
  'announced',
  'announces',
  'covered',
  'remix',
  'label',
  'signed',
  'gig',
  'concert',
  'setlist',
  'frontperson',
  'vocalist',
  'played',
  'plays',
  'playing',
  'shared',
  'sound',
  'sounds',
  'sounded',
  'fans',
]);
const TRACK_CUES = new Set([
  'single',
  'song',
  'track',
  'tune',
  'cut',
  'anthem',
  'ballad',
  'b',
  'side',
  'remix',
  'video',
  'chorus',
  'hook',
  'closer',
  'opener',
  'lead',
]);
const NEAR_WORDS = 30;
const CUE_WINDOW = 3;

// biome-ignore format: the weights read best as a table
const W = {
  artistCommon: -2.5, artistRare: 1.0, trackCommon: -3.0, trackRare: 0.5, perExtraWord: 0.5, commonPhrase: 1.0,
  capsMid: { artist: 3.0, track: 2.0 }, capsWeak: { artist: 0.5, track: 0.3 }, lower: { common: -3.0, rare: -1.0 },
  quoted: { artist: 1.5, track: 3.0 }, cue: { artist: 2.5, track: 1.0 },
  artistNear: 2.5, artistAdjacent: 1.5, artistInText: 1.5, noArtist: -1.0, longerName: -2.5, sameText: 2.0, ownTrack: 1.0,
  ownTrackAdjacent: 2.5,
};

/**
 * Indexes a catalogue for linkMentions().
 *
 * @example buildLinkIndex({ artists: [{ id: 'a1', name: 'Nova' }], tracks: [{ id: 't1', title: 'Home', artistId: 'a1' }] })
 */
export function buildLinkIndex(catalogue: LinkCatalogue): LinkIndex {
  const byFirst = new Map<string, Entry[]>();
  const add = (e: Entry) => {
    const first = e.words[0];
    if (first === undefined) return;
    const list = byFirst.get(first);
    if (list) list.push(e);
    else byFirst.set(first, [e]);
  };
  for (const a of catalogue.artists) {
    const words = nameWords(a.name);
    add({ kind: 'artist', id: a.id, artistId: a.id, words, common: isCommonPhrase(words) });
    // "The Weeknd" is often written "Weeknd"; a leading "The" is optional, as the import matcher reads it.
    if (words.length > 1 && words[0] === 'the') {
      const rest = words.slice(1);
      add({ kind: 'artist', id: a.id, artistId: a.id, words: rest, common: isCommonPhrase(rest) });
    }
  }
  for (const t of catalogue.tracks) {
    const words = nameWords(t.title);
    add({ kind: 'track', id: t.id, artistId: t.artistId, words, common: isCommonPhrase(words) });
  }
  return { byFirst };
}

/** The text the linker reads, and the offsets of Mention.spans refer to. */
export const linkedText = (t: { title: string; body: string }) => `${t.title}\n\n${t.body}`;

interface Candidate {
  entry: Entry;
  from: number;
  /** Exclusive token index. */
  to: number;
  score: number;
}

interface Context {
  tokens: Token[];
  titleCased: boolean;
  /** Every candidate span of a track, by its artist id: "Glass's Forever" supports both names. */
  trackSpans: Map<string, [number, number][]>;
  /** Pass 2: token ranges [from, to) of the artists accepted in pass 1, by artist id. */
  artistAt?: Map<string, [number, number][]>;
  /** Pass 2: entities accepted in pass 1 with confidence, `${kind}:${id}`. */
  confident?: Set<string>;
  /** Pass 2: artists with a track accepted in pass 1. */
  artistsWithTrack?: Set<string>;
}

/**
 * Links the artists and tracks a text mentions.
 *
 * @example linkMentions(index, { title: 'Nova returns', body: 'Nova’s new single "Home" is out.' })
 * // [{ kind: 'artist', id: 'a1', … }, { kind: 'track', id: 't1', … }]
 */
export function linkMentions(index: LinkIndex, text: { title: string; body: string }): Mention[] {
  const tokens = tokenize(linkedText(text));
  const title = tokens.filter((t) => t.sentence === 0);
  const significant = title.filter((t) => !MINOR.has(t.norm));
  const titleCased = significant.length > 1 && significant.filter((t) => t.capitalised).length / significant.length >= 0.6;
  const candidates = findCandidates(index, tokens);
  const trackSpans = new Map<string, [number, number][]>();
  for (const c of candidates) {
    if (c.entry.kind === 'track' && (tokens[c.from] as Token).capitalised) {
      trackSpans.set(c.entry.artistId, [...(trackSpans.get(c.entry.artistId) ?? []), [c.from, c.to]]);
    }
  }
  const ctx: Context = { tokens, titleCased, trackSpans };
  const first = resolve(candidates.map((c) => ({ ...c, score: score(c, ctx) })));
  const artistAt = new Map<string, [number, number][]>();
  const confident = new Set<string>();
  const artistsWithTrack = new Set<string>();
  for (const c of first) {
    if (c.entry.kind === 'artist') artistAt.set(c.entry.id, [...(artistAt.get(c.entry.id) ?? []), [c.from, c.to]]);
    else artistsWithTrack.add(c.entry.artistId);
    if (c.score >= 1.5) confident.add(`${c.entry.kind}:${c.entry.id}`);
  }
  const second = resolve(candidates.map((c) => ({ ...c, score: score(c, { ...ctx, artistAt, confident, artistsWithTrack }) })));
  return toMentions(second, tokens);
}

function findCandidates(index: LinkIndex, tokens: Token[]): Candidate[] {
  const out: Candidate[] = [];
  tokens.forEach((tok, i) => {
    for (const entry of index.byFirst.get(tok.norm) ?? []) {
      const n = entry.words.length;
      if (i + n > tokens.length) continue;
      let match = true;
      for (let k = 1; k < n && match; k += 1) match = tokens[i + k]?.norm === entry.words[k];
      // A name never spans two sentences.
      if (match && tokens[i + n - 1]?.sentence === tok.sentence) out.push({ entry, from: i, to: i + n, score: 0 });
    }
  });
  return out;
}

function score(c: Candidate, ctx: Context): number {
  const { entry, from, to } = c;
  const span = ctx.tokens.slice(from, to);
  const head = span[0] as Token;
  const kind = entry.kind;
  let s = kind === 'artist' ? (entry.common ? W.artistCommon : W.artistRare) : entry.common ? W.trackCommon : W.trackRare;
  s += W.perExtraWord * (span.length - 1);
  // Several common words in a row ("Satellite Hearts") are rarer by chance than one.
  if (entry.common && span.length > 1) s += W.commonPhrase;

  const capitalised = span.every((t, k) => t.capitalised || (k > 0 && MINOR.has(t.norm)));
  const allCaps = span.every((t) => t.raw === t.raw.toUpperCase()) && span.some((t) => t.raw.length > 1 && /\p{L}/u.test(t.raw));
  const inHeadline = head.sentence === 0 && ctx.titleCased;
  // A second capitalised significant word tells even at a sentence start: ordinary phrases do not capitalise it.
  const capsAfterStart = span.slice(1).some((t) => t.capitalised && !MINOR.has(t.norm));
  if (!head.capitalised) s += entry.common ? W.lower.common : W.lower.rare;
  else if (capitalised && !allCaps && !inHeadline && (!head.sentenceStart || capsAfterStart)) s += W.capsMid[kind];
  else s += W.capsWeak[kind];

  const last = span[span.length - 1] as Token;
  if (head.quoteBefore && last.quoteAfter) s += W.quoted[kind];

  const cues = kind === 'artist' ? ARTIST_CUES : TRACK_CUES;
  const window = [...ctx.tokens.slice(Math.max(0, from - CUE_WINDOW), from), ...ctx.tokens.slice(to, to + CUE_WINDOW)];
  if (window.some((t) => t.sentence === head.sentence && cues.has(t.norm))) s += W.cue[kind];

  const before = ctx.tokens[from - 1];
  const after = ctx.tokens[to];
  const quoted = head.quoteBefore && last.quoteAfter;
  const properNeighbour = (t: Token | undefined) =>
    t !== undefined && t.sentence === head.sentence && t.capitalised && !t.sentenceStart && !MINOR.has(t.norm);
  if (!quoted && !inHeadline && (properNeighbour(before) || (properNeighbour(after) && !last.quoteAfter))) s += W.longerName;

  if (kind === 'track' && ctx.artistAt) {
    const at = ctx.artistAt.get(entry.artistId) ?? [];
    if (at.some(([f]) => Math.abs(f - from) <= NEAR_WORDS)) s += W.artistNear;
    else if (at.length > 0) s += W.artistInText;
    else s += W.noArtist;
    // "Nova's Home", "Home by Nova": the artist's own words right beside the title.
    if (at.some(([f, t]) => (t <= from && from - t <= 1) || (f >= to && f - to <= 1))) s += W.artistAdjacent;
  }
  if (kind === 'artist') {
    const own = ctx.trackSpans.get(entry.id) ?? [];
    if (own.some(([f, t]) => (t <= from && from - t <= 1) || (f >= to && f - to <= 1))) s += W.ownTrackAdjacent;
    else if (ctx.artistsWithTrack?.has(entry.id)) s += W.ownTrack;
  }
  if (ctx.confident?.has(`${kind}:${entry.id}`)) s += W.sameText;
  return s;
}

/** Accepted candidates without overlaps: longest span first, then score; ties of one kind on one span are ambiguous. */
function resolve(scored: Candidate[]): Candidate[] {
  const accepted = scored.filter((c) => c.score > 0).sort((a, b) => b.to - b.from - (a.to - a.from) || b.score - a.score);
  const taken: boolean[] = [];
  const out: Candidate[] = [];
  for (let i = 0; i < accepted.length; i += 1) {
    const c = accepted[i] as Candidate;
    let free = true;
    for (let k = c.from; k < c.to && free; k += 1) free = !taken[k];
    if (!free) continue;
    const rivals = accepted.filter(
      (o) =>
        o !== c && o.from === c.from && o.to === c.to && o.entry.kind === c.entry.kind && o.entry.id !== c.entry.id && o.score === c.score,
    );
    for (let k = c.from; k < c.to; k += 1) taken[k] = true;
    if (rivals.length === 0) out.push(c);
  }
  return out;
}

function toMentions(accepted: Candidate[], tokens: Token[]): Mention[] {
  const byEntity = new Map<string, Mention>();
  for (const c of accepted.sort((a, b) => a.from - b.from)) {
    const key = `${c.entry.kind}:${c.entry.id}`;
    const span: [number, number] = [(tokens[c.from] as Token).start, (tokens[c.to - 1] as Token).end];
    const confidence = 1 / (1 + Math.exp(-c.score));
    const m = byEntity.get(key);
    if (m) {
      m.occurrences += 1;
      m.confidence = Math.max(m.confidence, confidence);
      m.spans.push(span);
    } else {
      byEntity.set(key, { kind: c.entry.kind, id: c.entry.id, artistId: c.entry.artistId, occurrences: 1, confidence, spans: [span] });
    }
  }
  return [...byEntity.values()];
}
