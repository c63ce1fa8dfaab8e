/**
 * Short generated articles with known mentions, for evaluating the linker (npm run eval:linker and
 * its test). Pure and seeded: the same catalogue, count and seed give the same texts.
 *
 * Each article mixes sentences that mention an artist and one of its tracks in the ways reviews do
 * (quoted, possessive, "by", title first) with traps: the common words of the catalogue's names in
 * their ordinary sense (lower case, or capitalised at a sentence start with no artist nearby), and
 * titles two artists share mentioned with neither artist (ambiguous: the right answer is no link).
 */
import { mulberry32 } from '../../contract/random.ts';
import { isCommonPhrase } from './common-words.ts';
import type { LabelledText } from './evaluate.ts';
import type { LinkCatalogue } from './link.ts';
import { nameWords } from './tokens.ts';

const ADJECTIVES = ['dreamy', 'lo-fi', 'anthemic', 'melancholic', 'lush', 'gritty', 'hypnotic', 'euphoric', 'brooding', 'tender'];
// {A} artist, {T} one of its tracks, {J} an adjective.
const WITH_TRACK = [
  '{A} has shared "{T}", a {J} new single.',
  'On {T}, {A} sound {J} and sure of themselves.',
  'We keep returning to {T} by {A}, the most {J} song of the month.',
  "{A}'s {T} is {J} from the first bar.",
  'Fans of {A} will love the {J} new track {T}.',
  'The closing song, {T}, finds {A} at their most {J}.',
];
const ARTIST_ONLY = [
  'We caught {A} live last night, and the set was {J}.',
  'The band {A} announced a {J} new album for spring.',
  'Few acts this year were as {J} as {A}.',
];
// {w} a common name in lower case, {W} the same at a sentence start.
const TRAPS = [
  'Nobody in the village talks about the {w} any more.',
  'It all felt like {w}, {J} and far away.',
  '{W} matters more than anything, the mayor said.',
  'She wrote "{w}" on the board and underlined it twice.',
];
const SHARED = ['{T} is a title more than one band has used.', 'Everyone has a favourite called {T}.'];
const HEADLINES = ['Weekly roundup', 'New music this week', 'Notes from the city', 'Our picks'];

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w)\}/g, (_, k: string) => v[k] ?? '');

/**
 * Generates `count` labelled articles about the catalogue's artists and tracks.
 *
 * @example generateArticles(catalogue, 200, 42).length // 200
 */
export function generateArticles(catalogue: LinkCatalogue, count: number, seed: number): LabelledText[] {
  const rnd = mulberry32(seed);
  const commonNames = [...catalogue.artists.map((a) => a.name), ...catalogue.tracks.map((t) => t.title)]
    .filter((n) => isCommonPhrase(nameWords(n)))
    .map((n) => n.replace(/^The /, '').toLowerCase());
  const titleCount = new Map<string, number>();
  for (const t of catalogue.tracks) titleCount.set(t.title, (titleCount.get(t.title) ?? 0) + 1);
  const shared = [...titleCount].filter(([, n]) => n > 1).map(([title]) => title);

  const out: LabelledText[] = [];
  for (let i = 0; i < count; i += 1) {
    const sentences: string[] = [];
    const mentions = new Set<string>();
    const parts = 1 + Math.floor(rnd() * 3);
    for (let p = 0; p < parts; p += 1) {
      const roll = rnd();
      const J = pick(rnd, ADJECTIVES);
      if (roll < 0.45) {
        const artist = pick(rnd, catalogue.artists);
        const own = catalogue.tracks.filter((t) => t.artistId === artist.id);
        if (own.length === 0) continue;
        const track = pick(rnd, own);
        sentences.push(fill(pick(rnd, WITH_TRACK), { A: artist.name, T: track.title, J }));
        mentions.add(`artist:${artist.id}`).add(`track:${track.id}`);
      } else if (roll < 0.65) {
        const artist = pick(rnd, catalogue.artists);
        sentences.push(fill(pick(rnd, ARTIST_ONLY), { A: artist.name, J }));
        mentions.add(`artist:${artist.id}`);
      } else if (roll < 0.92 || shared.length === 0) {
        if (commonNames.length === 0) continue;
        const w = pick(rnd, commonNames);
        sentences.push(fill(pick(rnd, TRAPS), { w, W: w.charAt(0).toUpperCase() + w.slice(1), J }));
      } else {
        sentences.push(fill(pick(rnd, SHARED), { T: pick(rnd, shared) }));
      }
    }
    out.push({ id: `gen-${seed}-${i}`, title: pick(rnd, HEADLINES), body: sentences.join(' '), mentions: [...mentions] });
  }
  return out;
}
