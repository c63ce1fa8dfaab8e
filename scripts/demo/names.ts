/** Made-up but readable artist names and track titles, drawn from the world's seeded streams. */
import type { Rng } from './rng.ts';

const ADJ = [
  'Velvet',
  'Neon',
  'Silver',
  'Midnight',
  'Golden',
  'Paper',
  'Electric',
  'Quiet',
  'Wild',
  'Hollow',
  'Crystal',
  'Static',
  'Crimson',
  'Lunar',
  'Broken',
  'Northern',
  'Amber',
  'Distant',
  'Lucid',
  'Tidal',
  'Feral',
  'Pale',
  'Solar',
  'Glass',
];
const NOUN = [
  'Harbor',
  'Kestrel',
  'Orchard',
  'Signal',
  'Comet',
  'Lantern',
  'Fox',
  'Engine',
  'Tide',
  'Meadow',
  'Cathedral',
  'Pilot',
  'Garden',
  'Satellite',
  'Wolves',
  'Ember',
  'Atlas',
  'Parade',
  'Valley',
  'Echo',
  'Drift',
  'Monarch',
  'Rivers',
  'Saints',
];
const FIRST = [
  'Maya',
  'Leo',
  'Ines',
  'Kofi',
  'Yuna',
  'Mateo',
  'Aria',
  'Noah',
  'Zara',
  'Elif',
  'Rafael',
  'Sven',
  'Amara',
  'Jonas',
  'Priya',
  'Luca',
];
const LAST = [
  'Rivers',
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Silva',
  'Novak',
  'Haddad',
  'Kowalski',
  'Reyes',
  'Achebe',
  'Berg',
  'Costa',
  'Ivanova',
];
const WORDS = [
  'Love',
  'Night',
  'Fire',
  'Heart',
  'Summer',
  'Rain',
  'Light',
  'Gold',
  'Ghost',
  'Dance',
  'River',
  'Home',
  'Wires',
  'Stars',
  'Blue',
  'Dreams',
  'Shadows',
  'Highway',
  'Ocean',
  'Window',
  'Morning',
  'Thunder',
  'Sugar',
  'Paradise',
  'Echoes',
  'Winter',
  'Static',
  'Bloom',
];
const PATTERNS = ['{w}', '{w} {w}', 'The {w}', '{w} of {w}', 'No More {w}', '{w} in the {w}', 'Every {w}', 'My {w}', '{w} Again'];

export function artistName(rng: Rng, index: number): string {
  const base = rng.chance(0.4)
    ? `${rng.pick(FIRST)} ${rng.pick(LAST)}`
    : `${rng.chance(0.5) ? 'The ' : ''}${rng.pick(ADJ)} ${rng.pick(NOUN)}`;
  // A suffix keeps names unique in big worlds without making small ones look generated.
  return index < 400 ? base : `${base} ${toRoman((index % 30) + 1)}`;
}

export function trackTitle(rng: Rng): string {
  return rng.pick(PATTERNS).replace(/\{w\}/g, () => rng.pick(WORDS));
}

function toRoman(n: number): string {
  const table: [number, string][] = [
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  for (const [v, s] of table) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}
