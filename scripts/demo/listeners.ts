/**
 * Generated listeners: tastes (a favourite genre, a few neighbours, a little of everything), a home
 * time zone, a daily rhythm and a workout habit. Each listener comes from its own seeded stream, so the
 * simulator can rebuild listener `i` alone.
 */
import type { Activity, Taste } from './behaviour.ts';
import { GENRE_INDEX, GENRES } from './genres.ts';
import { clamp, hashSeed, Rng } from './rng.ts';

export interface Listener extends Taste {
  index: number;
  id: string;
  timezone: string;
  country: string;
  /** Relative weight of each local hour 0..23 for starting a session. */
  hours: readonly number[];
  workoutHour: number | null;
  /** How much more (or less) than average this listener listens. */
  activity: number;
  device: string;
}

const ZONES: readonly [tz: string, country: string, weight: number][] = [
  ['America/New_York', 'US', 14],
  ['America/Chicago', 'US', 6],
  ['America/Los_Angeles', 'US', 8],
  ['America/Sao_Paulo', 'BR', 7],
  ['America/Mexico_City', 'MX', 5],
  ['Europe/London', 'GB', 9],
  ['Europe/Berlin', 'DE', 8],
  ['Europe/Paris', 'FR', 6],
  ['Europe/Madrid', 'ES', 4],
  ['Europe/Stockholm', 'SE', 3],
  ['Europe/Warsaw', 'PL', 3],
  ['Asia/Tokyo', 'JP', 5],
  ['Asia/Kolkata', 'IN', 5],
  ['Asia/Seoul', 'KR', 3],
  ['Australia/Sydney', 'AU', 4],
  ['Africa/Lagos', 'NG', 3],
];

/** Hour-of-day weights of four chronotypes (local time). */
const RHYTHMS: readonly number[][] = [
  // early riser: morning commute, lunch, early evening
  [0, 0, 0, 0, 0, 1, 4, 8, 8, 4, 2, 2, 4, 3, 2, 2, 3, 5, 6, 5, 3, 2, 1, 0],
  // office hours: commute, focus blocks during the day, evening
  [0, 0, 0, 0, 0, 0, 1, 5, 6, 5, 5, 4, 4, 5, 5, 4, 4, 5, 5, 4, 4, 3, 1, 0],
  // evening listener
  [1, 0, 0, 0, 0, 0, 0, 2, 3, 1, 1, 1, 2, 1, 1, 1, 2, 4, 6, 8, 9, 8, 5, 2],
  // night owl
  [6, 5, 3, 1, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 4, 6, 8, 9, 8],
];
const DEVICES = ['mobile', 'mobile', 'mobile', 'desktop', 'web', 'speaker'];

/** Builds listener `index` of the world `seed`. */
export function listener(seed: string, index: number): Listener {
  const rng = new Rng(hashSeed(seed, 'listener', index));
  const primary = rng.weighted(GENRES.map((g) => g.share));
  const affinity = GENRES.map(() => 0.05 + 0.15 * rng.next());
  affinity[primary] = 1;
  for (const near of GENRES[primary]!.near) {
    const gi = GENRE_INDEX.get(near);
    if (gi !== undefined && rng.chance(0.6)) affinity[gi] = 0.45 + 0.35 * rng.next();
  }
  if (rng.chance(0.35)) affinity[rng.int(GENRES.length)] = 0.5 + 0.3 * rng.next();
  const pref = (f: (g: (typeof GENRES)[number]) => number, sd: number) => {
    let sum = 0;
    let w = 0;
    GENRES.forEach((g, i) => {
      const a = affinity[i]! ** 3;
      sum += a * f(g);
      w += a;
    });
    return clamp(sum / w + rng.normal(0, sd), 0, 1);
  };
  const [tz, country] = ZONES[rng.weighted(ZONES.map((z) => z[2]))]!;
  const rhythm = RHYTHMS[rng.int(RHYTHMS.length)]!;
  return {
    index,
    id: `u-${index}`,
    timezone: tz,
    country,
    genreAffinity: affinity,
    energyPref: pref((g) => g.energy, 0.08),
    acousticPref: pref((g) => g.acousticness, 0.08),
    valencePref: pref((g) => g.valence, 0.08),
    skipTendency: Math.exp(rng.normal(0, 0.25)),
    saveTendency: Math.exp(rng.normal(0, 0.5)),
    hours: rhythm.map((w) => w * (0.7 + 0.6 * rng.next())),
    workoutHour: rng.chance(0.35) ? rng.pick([6, 7, 12, 17, 18, 19]) : null,
    // Lognormal with mean 1: a few heavy listeners, many light ones.
    activity: Math.exp(rng.normal(-0.32, 0.8)),
    device: rng.pick(DEVICES),
  };
}

/** What a listener is doing at a local hour and weekday (0 = Sunday). */
export function activityAt(rng: Rng, l: Listener, hour: number, weekday: number): Activity {
  const workday = weekday >= 1 && weekday <= 5;
  if (l.workoutHour !== null && Math.abs(hour - l.workoutHour) <= 0 && rng.chance(0.75)) return 'workout';
  if (workday && (hour === 7 || hour === 8 || hour === 17 || hour === 18) && rng.chance(0.55)) return 'commute';
  if (workday && hour >= 9 && hour <= 16 && rng.chance(0.45)) return 'focus';
  if ((weekday === 5 || weekday === 6 || weekday === 0) && (hour >= 21 || hour <= 2) && rng.chance(0.45)) return 'party';
  if ((hour >= 23 || hour <= 1) && rng.chance(0.4)) return 'sleep';
  if (hour >= 19 && hour <= 22 && rng.chance(0.35)) return 'relax';
  return 'none';
}

const offsetCache = new Map<string, number>();

/** The zone's UTC offset in minutes on the day containing `utcMs` (cached per zone and day). */
export function zoneOffsetMinutes(timezone: string, utcMs: number): number {
  const day = Math.floor(utcMs / 86_400_000);
  const key = `${timezone}|${day}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const probe = day * 86_400_000 + 12 * 3_600_000;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(probe));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  const minutes = Math.round((local - probe) / 60_000);
  offsetCache.set(key, minutes);
  return minutes;
}
