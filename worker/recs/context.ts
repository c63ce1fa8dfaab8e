/**
 * Listening context -> audio-feature targets: the one place that says what "focus", "rain", "a
 * Saturday night" or "running at 170 bpm" sounds like. Within the listener's own best candidates, the ranker adds
 * `strength × z(match)` to each track's standardised relevance, where match ∈ [0, 1] is one minus
 * the mean distance between the track's (0..1 normalised) features and the targets. See README.md
 * in this folder.
 */

import type { Activity, Motion, Weather } from '../schemas/recommendations.ts';

/** Audio features the context can steer, all normalised to 0..1 (see normaliseFeature). */
export const CONTEXT_FEATURES = [
  'energy',
  'valence',
  'danceability',
  'acousticness',
  'instrumentalness',
  'speechiness',
  'tempo',
  'loudness',
] as const;
export type ContextFeature = (typeof CONTEXT_FEATURES)[number];

type Targets = Partial<Record<ContextFeature, number>>;

const ACTIVITY_TARGETS: Record<Activity, Targets> = {
  focus: { energy: 0.35, instrumentalness: 0.8, speechiness: 0.03, valence: 0.45, loudness: 0.6 },
  workout: { energy: 0.9, tempo: 0.7, danceability: 0.75, valence: 0.65, loudness: 0.85 },
  sleep: { energy: 0.12, acousticness: 0.85, instrumentalness: 0.7, tempo: 0.35, loudness: 0.45 },
  party: { danceability: 0.85, energy: 0.85, valence: 0.8, loudness: 0.85 },
  commute: { energy: 0.6, valence: 0.6, danceability: 0.6 },
  relax: { energy: 0.3, acousticness: 0.6, valence: 0.55, tempo: 0.45 },
};

/** Our own mapping, a heuristic like the activities': bright weather brighter, grey weather softer. */
const WEATHER_TARGETS: Record<Weather, Targets> = {
  clear: { valence: 0.75, energy: 0.65 },
  clouds: { valence: 0.45, energy: 0.5 },
  rain: { valence: 0.35, energy: 0.35, acousticness: 0.6 },
  snow: { valence: 0.5, energy: 0.3, acousticness: 0.7 },
  storm: { valence: 0.3, energy: 0.7 },
  fog: { valence: 0.4, energy: 0.3, instrumentalness: 0.6 },
  hot: { valence: 0.8, energy: 0.75, danceability: 0.75 },
  cold: { valence: 0.45, energy: 0.4, acousticness: 0.6 },
};

/**
 * How far an explicit activity (or a request in words) moves the list: standard deviations of
 * feature match added to standardised relevance, among the listener's own best candidates.
 */
const ACTIVITY_STRENGTH = 2;
/** Weather alone is a hint; with an activity it only adds the features the activity leaves open. */
const WEATHER_STRENGTH = 0.75;
/** Time of day alone (sent, or from the listener's time zone) is a gentle hint. */
const TIME_STRENGTH = 0.5;

/** Words of free-text requests ("play something to help me focus") mapped to activities. */
const TEXT_RULES: Array<[RegExp, Activity]> = [
  [/\b(focus|concentrat\w*|study\w*|studying|deep work|coding|read\w*)\b/i, 'focus'],
  [/\b(workout|work out|gym|run\w*|jog\w*|training|cardio|lift\w*|pump\w*)\b/i, 'workout'],
  [/\b(sleep\w*|bed\w*|fall asleep|insomnia|lullab\w*)\b/i, 'sleep'],
  [/\b(party|dance|dancing|club\w*|pre-?game)\b/i, 'party'],
  [/\b(commut\w*|driv\w*|drive|car|train|bus|subway|walk\w*)\b/i, 'commute'],
  [/\b(relax\w*|chill\w*|calm\w*|unwind\w*|wind down|lazy|sunday)\b/i, 'relax'],
];
const MOOD_RULES: Array<[RegExp, Targets]> = [
  [/\b(happy|upbeat|cheer\w*|sunny|feel.good)\b/i, { valence: 0.85 }],
  [/\b(sad|melanchol\w*|heartbreak\w*|moody|rainy)\b/i, { valence: 0.2 }],
  [/\b(acoustic|unplugged)\b/i, { acousticness: 0.9 }],
  [/\b(instrumental|no (vocals|lyrics))\b/i, { instrumentalness: 0.9, speechiness: 0.02 }],
];

/** Target tempo of `bpm` beats per minute, normalised like the catalogue's tempo (40..200 BPM). */
const tempo = (bpm: number) => (bpm - 40) / 160;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/*
 * Sensor signals, derived on the device (the API never sees raw sensor data). Each is our own
 * heuristic, like the activities', and each only sets the features it says something about.
 */

/**
 * Motion as the phone classifies it. Running: a runner's cadence is ~160–180 steps/min, and music
 * whose beat meets the step (~170 BPM) is what running apps serve, at high energy. Walking: ~100–120
 * steps/min. Driving: moderate energy and tempo (faster music raised speed and violations in simulated
 * driving, Brodsky 2001) and little speech, which competes with traffic and navigation for the ear.
 */
const MOTION_TARGETS: Record<Motion, Targets> = {
  still: { energy: 0.4, tempo: tempo(100) },
  walking: { energy: 0.55, tempo: tempo(115), danceability: 0.6 },
  running: { energy: 0.9, tempo: tempo(170), danceability: 0.7 },
  driving: { energy: 0.55, tempo: tempo(110), valence: 0.6, speechiness: 0.05 },
};

/** Age is not sent: the maximum heart rate is taken as 220 − 30, a 30-year-old's age-predicted maximum. */
const MAX_HEART_RATE = 190;
/** Resting heart rate when the client sends none (a typical adult's). */
const DEFAULT_RESTING_HEART_RATE = 60;

/**
 * Heart rate: effort is the heart-rate reserve used, (hr − rest) / (190 − rest) clamped to 0..1,
 * and sets energy 0.15 + 0.8 × reserve; the tempo target is the heart rate itself (60..180 BPM), the
 * beat the body keeps.
 */
function heartTargets(hr: number, rest: number | undefined): Targets {
  const r = rest ?? DEFAULT_RESTING_HEART_RATE;
  const reserve = clamp((hr - r) / Math.max(1, MAX_HEART_RATE - r), 0, 1);
  return { energy: 0.15 + 0.8 * reserve, tempo: tempo(clamp(hr, 60, 180)) };
}

/**
 * Mood (valence and arousal, each 0..1): mood-congruent, valence → valence; arousal → energy
 * 0.1 + 0.8 × arousal and tempo 70 + 90 × arousal BPM.
 */
function moodTargets(mood: Mood): Targets {
  const t: Targets = {};
  if (mood.valence !== undefined) t.valence = mood.valence;
  if (mood.arousal !== undefined) {
    t.energy = 0.1 + 0.8 * mood.arousal;
    t.tempo = tempo(70 + 90 * mood.arousal);
  }
  return t;
}

/**
 * How signals combine: per feature, the weighted mean of the targets of the sources that set it. The
 * rest of the context (activity, words, weather, time, resolved as before) is one source weighing
 * its own strength (2 for an activity or words, 0.75 for weather, 0.5 for time); each sensor weighs
 * 1, so an activity the listener chose outweighs any one sensor, and two sensors that agree outweigh
 * it. A list with sensors is steered with strength at least 1.5 (the base's when higher).
 */
const SENSOR_WEIGHT = 1;
const SENSOR_STRENGTH = 1.5;

export interface Mood {
  valence?: number | undefined;
  arousal?: number | undefined;
}

export interface ListeningContext {
  /** Local hour 0..23. */
  hour?: number | undefined;
  /** 0 = Sunday .. 6 = Saturday (local). */
  weekday?: number | undefined;
  activity?: Activity | undefined;
  /** Free text such as "help me focus". */
  text?: string | undefined;
  weather?: Weather | undefined;
  /** Derived on the device (facial-expression or voice model), each 0..1. */
  mood?: Mood | undefined;
  /** Beats per minute, derived on the device. */
  heart_rate?: number | undefined;
  resting_heart_rate?: number | undefined;
  motion?: Motion | undefined;
}

export interface ContextTargets {
  targets: Targets;
  strength: number;
  /** The activity the context resolved to, if any (for logging and reasons). */
  activity: Activity | null;
}

function timeTargets(hour: number | undefined, weekday: number | undefined): Targets | null {
  if (hour === undefined) return null;
  const weekendNight = (weekday === 5 || weekday === 6) && (hour >= 20 || hour < 2);
  if (weekendNight) return ACTIVITY_TARGETS.party;
  if (hour < 6) return ACTIVITY_TARGETS.sleep;
  if (hour < 10) return { energy: 0.55, valence: 0.65 };
  if (hour < 18) return weekday === 0 || weekday === 6 ? ACTIVITY_TARGETS.relax : { energy: 0.55, instrumentalness: 0.4 };
  if (hour < 22) return { energy: 0.5, valence: 0.6 };
  return ACTIVITY_TARGETS.relax;
}

/**
 * Resolves a context to feature targets; null when there is nothing to steer by.
 *
 * @example contextTargets({ text: 'play something to help me focus' }) // { activity: 'focus', strength: 2, targets: {...} }
 */
export function contextTargets(ctx: ListeningContext | undefined): ContextTargets | null {
  if (!ctx) return null;
  const base = requestTargets(ctx);
  const sensors: Targets[] = [];
  if (ctx.mood && (ctx.mood.valence !== undefined || ctx.mood.arousal !== undefined)) sensors.push(moodTargets(ctx.mood));
  if (ctx.heart_rate !== undefined) sensors.push(heartTargets(ctx.heart_rate, ctx.resting_heart_rate));
  if (ctx.motion) sensors.push(MOTION_TARGETS[ctx.motion]);
  // Without sensor signals the context steers exactly as before.
  if (sensors.length === 0) return base;
  const sources: Array<[Targets, number]> = sensors.map((t) => [t, SENSOR_WEIGHT]);
  if (base) sources.push([base.targets, base.strength]);
  const targets: Targets = {};
  for (const f of CONTEXT_FEATURES) {
    let sum = 0;
    let weight = 0;
    for (const [t, w] of sources) {
      const v = t[f];
      if (v === undefined) continue;
      sum += w * v;
      weight += w;
    }
    if (weight > 0) targets[f] = sum / weight;
  }
  return { targets, strength: Math.max(base?.strength ?? 0, SENSOR_STRENGTH), activity: base?.activity ?? null };
}

/** Activity, words, weather or time of day: the context as it stood before sensor signals. */
function requestTargets(ctx: ListeningContext): ContextTargets | null {
  const fromText = ctx.text ? TEXT_RULES.find(([re]) => re.test(ctx.text as string))?.[1] : undefined;
  const activity = ctx.activity ?? fromText ?? null;
  const mood: Targets = {};
  if (ctx.text) for (const [re, t] of MOOD_RULES) if (re.test(ctx.text)) Object.assign(mood, t);
  const weather = ctx.weather ? WEATHER_TARGETS[ctx.weather] : {};
  if (activity) return { targets: { ...weather, ...ACTIVITY_TARGETS[activity], ...mood }, strength: ACTIVITY_STRENGTH, activity };
  if (Object.keys(mood).length > 0) return { targets: { ...weather, ...mood }, strength: ACTIVITY_STRENGTH, activity: null };
  if (ctx.weather) return { targets: weather, strength: WEATHER_STRENGTH, activity: null };
  const time = timeTargets(ctx.hour, ctx.weekday);
  return time ? { targets: time, strength: TIME_STRENGTH, activity: null } : null;
}

/** Catalogue value -> 0..1 (tempo over 40..200 BPM, loudness over -60..0 dB). */
export function normaliseFeature(name: string, v: number): number {
  if (name === 'tempo') return Math.min(1, Math.max(0, (v - 40) / 160));
  if (name === 'loudness') return Math.min(1, Math.max(0, (v + 60) / 60));
  return Math.min(1, Math.max(0, v));
}

/**
 * Precomputes (feature position, target, weight) triples; `match(row)` is 1 − mean |x − target|
 * over the features the track has, 0.5 (neutral) when it has none.
 */
export function contextMatcher(t: ContextTargets): (features: Float32Array, row: number) => number {
  const spec = CONTEXT_FEATURES.map((name, f) => [f, t.targets[name]] as const).filter(
    (s): s is readonly [number, number] => s[1] !== undefined,
  );
  const width = CONTEXT_FEATURES.length;
  return (features, row) => {
    let dist = 0;
    let n = 0;
    for (const [f, target] of spec) {
      const x = features[row * width + f] as number;
      if (Number.isNaN(x)) continue;
      dist += Math.abs(x - target);
      n++;
    }
    return n === 0 ? 0.5 : 1 - dist / n;
  };
}
