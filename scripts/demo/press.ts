/**
 * The demo world's press: short articles, blog posts and reviews about its artists over the history
 * window, in the POST /v1/texts shape, deterministic by the world's seed (a stream of its own, so the
 * rest of the world stays as the seed made it).
 *
 * Most articles are about the world's 40 biggest artists (the demo keys' artists), more often the
 * bigger they are; some about the long tail. A handful of artists get a press spike: 3 days with
 * several times their usual volume (velocity well above 3), the first two ending the day before the
 * history does, so the dashboard's default 28 days show them. Each article has a tone (positive,
 * neutral or negative, worded so wink-nlp reads it that way), uses a few descriptive terms, often
 * names one of the artist's tracks in quotes, and uses the cue words ("the band", "new single") that
 * let the linker (worker/text/link.ts) tell the names from the ordinary words they are made of.
 *
 * @example
 * const press = generatePress(world, { seed: world.config.seed, start: world.start, end: world.config.end });
 * for (const batch of chunks(press.texts, 100)) await post('/v1/texts', { texts: batch });
 */
import { hashSeed, Rng } from './rng.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Articles a day over the whole world, before spikes: about 320 over the demo's 120 days. */
export const ARTICLES_PER_DAY = 2.7;
/** The biggest artists share of the press; the rest goes to the long tail. */
const COVERED = 40;
const HEAD_SHARE = 0.85;
/** Indices (by popularity) of the artists with a spike; the first two are recent. */
export const SPIKE_RANKS = [0, 1, 4, 10, 19] as const;
export const SPIKE_DAYS = 3;
/** A spike day carries this many times the artist's usual daily volume, and never fewer than MIN_SPIKE_PER_DAY texts. */
const SPIKE_FACTOR = 12;
const MIN_SPIKE_PER_DAY = 3;

/** A text in the POST /v1/texts shape (published_at in epoch ms). */
export interface DemoText {
  id: string;
  url: string;
  published_at: number;
  title: string;
  body: string;
  source: string;
}

export interface PressSpike {
  artistId: string;
  artistName: string;
  /** UTC midnight of the spike's first day. */
  from: number;
  days: number;
  /** Texts of the spike (on top of the artist's usual press). */
  texts: number;
}

export interface Press {
  texts: DemoText[];
  /** The id of the artist each text is about, by index into `texts`. */
  about: string[];
  spikes: PressSpike[];
}

export interface PressOptions {
  seed: string;
  /** Epoch ms of the history's first day and its end. */
  start: number;
  end: number;
}

/** What the generator reads of a world: artists in popularity order, tracks with their artist. */
export interface PressCatalogue {
  artists: readonly { id: string; name: string }[];
  tracks: readonly { id: string; title: string; artist: { id: string } }[];
}

type Tone = 'positive' | 'neutral' | 'negative';

const SOURCES = [
  { name: 'The Listening Post', host: 'listeningpost.example' },
  { name: 'Sound Dispatch', host: 'sounddispatch.example' },
  { name: 'Night Shift Magazine', host: 'nightshift.example' },
  { name: 'B-Side Blog', host: 'bside.example' },
  { name: 'The Vinyl Review', host: 'vinylreview.example' },
  { name: 'Local Noise', host: 'localnoise.example' },
  { name: 'Frequency Daily', host: 'frequencydaily.example' },
] as const;

// Descriptive terms the analyser keeps (adjectives and music descriptors), one set per tone.
const TERMS: Record<Tone, readonly string[]> = {
  positive: ['dreamy', 'lush', 'anthemic', 'hypnotic', 'euphoric', 'shimmering', 'tender', 'cinematic', 'playful', 'warm'],
  neutral: ['hazy', 'brooding', 'lo-fi', 'sparse', 'moody', 'understated', 'restless', 'nocturnal'],
  negative: ['bland', 'tired', 'predictable', 'shapeless', 'sluggish', 'muddy', 'flat'],
};
// {A} artist, {T} one of its tracks, {J} {K} descriptive terms.
const HEADLINES: Record<Tone, readonly string[]> = {
  positive: ['{A} deliver a brilliant new single', 'Why we love {A} right now', '{A} are the best thing on our playlist'],
  neutral: ['{A} announce new music', 'A first listen to {A}', '{A} on tour this season'],
  negative: ['{A} disappoint with a weak new single', 'The trouble with {A}', '{A} lose their way'],
};
const TRACK_SENTENCES: Record<Tone, readonly string[]> = {
  positive: [
    'The new single "{T}" by {A} is a {J}, beautiful song, and we love it.',
    'On "{T}", the band {A} sound {J} and wonderfully confident.',
    '"{T}" is a stunning, {J} record from {A}.',
  ],
  neutral: [
    'The band {A} released the single "{T}" this week.',
    '"{T}" is the new song by {A}, a {J} track of about four minutes.',
    'On "{T}", {A} keep to the {J} sound of their earlier records.',
  ],
  negative: [
    'The new single "{T}" by {A} is a {J}, boring song, and a real disappointment.',
    'On "{T}", the band {A} sound {J} and tired.',
    '"{T}" is a weak, {J} record from {A}, sadly.',
  ],
};
const ARTIST_SENTENCES: Record<Tone, readonly string[]> = {
  positive: [
    'We caught the band {A} live last night, and the set was {J} and joyful.',
    'Few artists this year were as {J} and brilliant as {A}.',
    'The band {A} have made a {J} album that we love.',
  ],
  neutral: [
    'The band {A} announced a {J} new album for spring.',
    'The artist {A} plays three cities next month.',
    'The band {A} spoke to us about their {J} new songs.',
  ],
  negative: [
    'We caught the band {A} live last night, and the set was {J} and dull.',
    'The band {A} made a {J} album that fails to excite.',
    'Sadly the artist {A} sound {J} and lost these days.',
  ],
};
const CLOSERS: Record<Tone, readonly string[]> = {
  positive: ['A great, {K} listen.', 'Highly recommended: {K} and full of joy.', 'An excellent, {K} return.'],
  neutral: ['The album is out in the spring.', 'Tickets go on sale on Friday.', 'More dates are to follow.'],
  negative: ['A {K}, poor listen.', 'Not recommended: {K} and boring.', 'A bad, {K} misstep.'],
};
const SPIKE_HEADLINES: Record<Tone, readonly string[]> = {
  positive: ['Everyone is talking about {A}', '{A} win the award for best new act', '{A} sell out the arena in minutes'],
  neutral: ['{A} announce a world tour', '{A} surprise fans with a new album', 'What we know about the new {A} album'],
  negative: ['{A} cancel the tour after a terrible week', '{A} face criticism over a bad show', 'Angry fans turn on {A}'],
};

const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w)\}/g, (_, k: string) => v[k] ?? '');
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function drawTone(rng: Rng, bias: Tone | null): Tone {
  if (bias && rng.chance(0.8)) return bias;
  const r = rng.next();
  return r < 0.5 ? 'positive' : r < 0.72 ? 'neutral' : 'negative';
}

/**
 * The world's articles and the spikes among them. Same catalogue, seed and window → same texts.
 *
 * @example generatePress(world, { seed: 'demo', start, end }).texts.length // ≈ 2.7 × days + the spikes
 */
export function generatePress(catalogue: PressCatalogue, o: PressOptions): Press {
  const rng = new Rng(hashSeed(o.seed, 'press'));
  const idBase = `press-${hashSeed(o.seed).toString(36)}`;
  const artists = catalogue.artists;
  if (artists.length === 0 || o.end <= o.start) return { texts: [], about: [], spikes: [] };
  const tracksOf = new Map<string, string[]>();
  for (const t of catalogue.tracks) {
    const list = tracksOf.get(t.artist.id) ?? [];
    list.push(t.title);
    tracksOf.set(t.artist.id, list);
  }
  const head = Math.min(COVERED, artists.length);
  const headWeights = Array.from({ length: head }, (_, i) => 1 / (i + 1) ** 0.8);
  const headTotal = headWeights.reduce((a, b) => a + b, 0);
  const days = Math.max(1, Math.floor((o.end - o.start) / DAY));
  const baseline = Math.round(ARTICLES_PER_DAY * days);
  const texts: DemoText[] = [];
  const about: string[] = [];

  const write = (artistIndex: number, at: number, tone: Tone, spike: boolean) => {
    const artist = artists[artistIndex]!;
    const own = tracksOf.get(artist.id) ?? [];
    const J = rng.pick(TERMS[tone]);
    const K = rng.pick(TERMS[tone]);
    const v = { A: artist.name, J, K, T: own.length > 0 ? rng.pick(own) : '' };
    const title = fill(rng.pick(spike ? SPIKE_HEADLINES[tone] : HEADLINES[tone]), v);
    const sentences = [fill(rng.pick(ARTIST_SENTENCES[tone]), v)];
    // Tracks by title sometimes: in quotes, beside their artist, as reviews name them.
    if (own.length > 0 && rng.chance(0.55)) sentences.push(fill(rng.pick(TRACK_SENTENCES[tone]), { ...v, J: rng.pick(TERMS[tone]) }));
    sentences.push(fill(rng.pick(CLOSERS[tone]), v));
    const source = rng.pick(SOURCES);
    const n = texts.length;
    const date = new Date(at).toISOString().slice(0, 10);
    texts.push({
      id: `${idBase}-${n}`,
      url: `https://${source.host}/${date.slice(0, 7).replace('-', '/')}/${slug(title)}-${n}`,
      published_at: at,
      title,
      body: sentences.join(' '),
      source: source.name,
    });
    about.push(artist.id);
  };
  // Daytime hours of a day, never past the end of the history.
  const timeOn = (day: number) => Math.min(o.end - 60_000, day + 7 * HOUR + Math.floor(rng.next() * 14 * HOUR));
  const firstDay = Math.floor(o.start / DAY) * DAY;

  for (let i = 0; i < baseline; i++) {
    const a = rng.chance(HEAD_SHARE) || artists.length <= head ? rng.weighted(headWeights) : head + rng.int(artists.length - head);
    write(a, timeOn(firstDay + rng.int(days) * DAY), drawTone(rng, null), false);
  }

  const spikes: PressSpike[] = [];
  const lastDay = Math.floor(o.end / DAY) * DAY;
  SPIKE_RANKS.forEach((rank, k) => {
    if (rank >= head || days < SPIKE_DAYS + 7) return;
    // Two recent spikes ending yesterday and four days ago; the others anywhere after four weeks of baseline.
    const earliest = firstDay + Math.min(28, Math.floor(days / 3)) * DAY;
    const latest = lastDay - (SPIKE_DAYS + 7) * DAY;
    const from =
      k === 0
        ? lastDay - SPIKE_DAYS * DAY
        : k === 1
          ? lastDay - (SPIKE_DAYS + 3) * DAY
          : earliest + rng.int(Math.max(1, (latest - earliest) / DAY + 1)) * DAY;
    const usualPerDay = (baseline * HEAD_SHARE * headWeights[rank]!) / headTotal / days;
    const perDay = Math.max(MIN_SPIKE_PER_DAY, Math.round(SPIKE_FACTOR * usualPerDay));
    // One spike in three is bad news; the rest good or plain news.
    const bias: Tone = k % 3 === 2 ? 'negative' : k % 2 === 0 ? 'positive' : 'neutral';
    const before = texts.length;
    for (let d = 0; d < SPIKE_DAYS; d++) {
      for (let j = 0; j < perDay; j++) write(rank, timeOn(from + d * DAY), drawTone(rng, bias), true);
    }
    const artist = artists[rank]!;
    spikes.push({ artistId: artist.id, artistName: artist.name, from, days: SPIKE_DAYS, texts: texts.length - before });
  });
  return { texts, about, spikes };
}
