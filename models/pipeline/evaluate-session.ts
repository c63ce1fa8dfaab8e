/**
 * Next-track (or next-artist) evaluation of session awareness, on a time-ordered split: for each
 * user the last 20 % of their plays in time are test, and each test play is predicted from every
 * event before it, as the Worker would at that moment. Compared: popularity, the plain MF list
 * (fold-in of the whole recency-decayed history), MF with the session weights added
 * (contract/session-weights.ts), the transition model alone (session/transitions.ts) and a blend of the two.
 *
 * hit@10 = share of test plays whose item is in the top 10; MRR@10 = mean of 1/rank over test plays
 * (0 when rank > 10). Nothing is excluded from the ranking: repeats are most of music listening.
 * A test item outside the training catalogue is a miss for every method.
 */
import { DEFAULT_EVENT_WEIGHTS, DEFAULT_HALF_LIFE_DAYS, decay, eventWeight } from '../../contract/events.ts';
import {
  DEFAULT_SESSION_OPTIONS,
  logSessions,
  SESSION_GAP_MS,
  type SessionOptions,
  sessionOf,
  sessionWeights,
} from '../../contract/session-weights.ts';
import { IdIndex, interactionsFrom, TripletBuffer } from '../data/interactions.ts';
import type { LogEvent, UserLog } from '../eval/session-data.ts';
import { DEFAULT_TRANSITION_PARAMS, fitTransitions, type TransitionParams, transitionScores } from '../session/transitions.ts';
import { DEFAULT_TRAINING_PARAMS } from '../train/defaults.ts';
import { type FoldInModel, scoreHistory } from '../train/fold-in.ts';
import { mulberry32 } from '../train/random.ts';
import { trainModels } from './train.ts';

/** The Worker's history window (worker/routes/recommendations.ts): 500 events, 365 days. */
const HISTORY_EVENTS = 500;
const HISTORY_MS = 365 * 86_400_000;
const K = 10;
/** β of the blend MF + session / max + β · transitions / max, chosen on the validation splits (grid 0.5…8; 1 was best on both next-artist splits). */
export const DEFAULT_BLEND = 1;

export interface SessionEvalOptions {
  level: 'track' | 'artist';
  /** share of each user's plays (in time) that trains; the rest is test */
  trainShare: number;
  /** evaluate on the last (1 − trainShare) of the training part instead (to choose parameters) */
  validation: boolean;
  /** MF rows: listeners, or sessions as pseudo-users (when there are too few listeners, as in the 1K excerpt) */
  rows: 'users' | 'sessions';
  factors: number;
  seed: number;
  /** session weightings to compare (MF + session for each) */
  session: SessionOptions[];
  transitions: TransitionParams;
  /** per-position decay of the recent items in transitionScores */
  transitionDecay: number;
  /** blend weights β: MF+session / max + β · transitions / max, for each session weighting */
  blend: number[];
  /** at most this many test plays (a seeded sample), to bound the run time */
  maxTargets: number;
  log?: (line: string) => void;
}

/** What `npm run eval:session` runs when given no flags (one level; the CLI runs both). */
export const DEFAULT_SESSION_EVAL: SessionEvalOptions = {
  level: 'artist',
  trainShare: 0.8,
  validation: false,
  rows: 'users',
  factors: 64,
  seed: 1,
  session: [DEFAULT_SESSION_OPTIONS],
  transitions: DEFAULT_TRANSITION_PARAMS,
  transitionDecay: 0.5,
  blend: [DEFAULT_BLEND],
  maxTargets: 3000,
};

export interface MethodResult {
  method: string;
  hit10: number;
  mrr10: number;
}

export interface SessionEvalReport {
  level: string;
  users: number;
  items: number;
  trainRows: number;
  targets: number;
  /** test plays whose item no training play had */
  unknownTargets: number;
  results: MethodResult[];
}

/** Events (oldest first) split into sessions at gaps ≥ 30 min, each as its listened plays oldest first. */
export const playSequences = (events: readonly LogEvent[]): string[][] => logSessions(events);

/** Rank (1-based) of `target` in `scores`, ties broken towards the lower index as metrics.topK does. */
function rankOf(scores: Float32Array, target: number): number {
  const s = scores[target]!;
  let rank = 1;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > s || (scores[i] === s && i < target)) rank++;
  return rank;
}

/** Recency-decayed event strengths of a newest-first history, as the Worker computes them. */
function historyStrengths(history: readonly LogEvent[], now: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of history) {
    const w = eventWeight(e, DEFAULT_EVENT_WEIGHTS) * decay(e.ts, now, DEFAULT_HALF_LIFE_DAYS);
    if (w !== 0) out.set(e.trackId, (out.get(e.trackId) ?? 0) + w);
  }
  return out;
}

function foldInScores(model: FoldInModel, items: IdIndex, strengths: ReadonlyMap<string, number>): Float32Array {
  const h: number[] = [];
  const w: number[] = [];
  for (const [id, s] of strengths) {
    const i = items.find(id);
    if (i !== undefined && s > 0) {
      h.push(i);
      w.push(s);
    }
  }
  return scoreHistory(model, h, w);
}

function maxOf(a: Float32Array): number {
  let m = 0;
  for (const v of a) if (v > m) m = v;
  return m;
}

/** Cuts each user's log at the play that starts the last (1 − share) of their plays: [before, from]. */
function timeSplit(logs: readonly UserLog[], share: number): { train: UserLog[]; cut: Map<string, number> } {
  const train: UserLog[] = [];
  const cut = new Map<string, number>();
  for (const u of logs) {
    const plays = u.events.filter((e) => e.play);
    if (plays.length === 0) continue;
    const at = plays[Math.min(plays.length - 1, Math.floor(plays.length * share))]!.ts;
    cut.set(u.user, at);
    train.push({ user: u.user, events: u.events.filter((e) => e.ts < at) });
  }
  return { train, cut };
}

/**
 * Runs the comparison on one level (track or artist ids).
 *
 * @example
 * const report = await evaluateSessions(readLastfm1k(), { ...DEFAULT_SESSION_EVAL, level: 'artist' });
 */
export async function evaluateSessions(allLogs: readonly UserLog[], o: SessionEvalOptions): Promise<SessionEvalReport> {
  const log = o.log ?? (() => {});
  const mapped = allLogs.map((u) => ({
    user: u.user,
    events: u.events.map((e) => (o.level === 'artist' ? { ...e, trackId: e.artistId } : e)),
  }));
  let { train, cut } = timeSplit(mapped, o.trainShare);
  let logs = mapped;
  if (o.validation) {
    logs = train;
    ({ train, cut } = timeSplit(train, o.trainShare));
  }

  // training rows and the catalogue
  const rows = new IdIndex();
  const items = new IdIndex();
  const triplets = new TripletBuffer();
  const sequences: string[][] = [];
  for (const u of train) {
    const trainEnd = cut.get(u.user)!;
    let session = 0;
    let last = -Infinity;
    for (const e of u.events) {
      if (e.ts - last >= SESSION_GAP_MS) session++;
      last = e.ts;
      const w = eventWeight(e, DEFAULT_EVENT_WEIGHTS) * decay(e.ts, trainEnd, DEFAULT_HALF_LIFE_DAYS);
      if (w > 0) triplets.push(rows.get(o.rows === 'users' ? u.user : `${u.user}#${session}`), items.get(e.trackId), w);
    }
    sequences.push(...playSequences(u.events));
  }
  const interactions = interactionsFrom(rows, items, triplets);
  const nItems = items.size;
  log(
    `${o.level}: ${rows.size} training ${o.rows}, ${nItems} items, ${interactions.byUser.indices.length} pairs; training ALS (${o.factors} factors)…`,
  );
  const params = { ...DEFAULT_TRAINING_PARAMS, als: { ...DEFAULT_TRAINING_PARAMS.als, factors: o.factors, seed: o.seed } };
  const input = { interactions, eventWeights: DEFAULT_EVENT_WEIGHTS, halfLifeDays: DEFAULT_HALF_LIFE_DAYS, data: 'session-eval' };
  const { foldIn: model } = await trainModels(input, params);
  const trans = fitTransitions(
    sequences.map((s) => Int32Array.from(s.map((id) => items.find(id) ?? -1).filter((i) => i >= 0))),
    nItems,
    o.transitions,
  );
  const pop = new Float32Array(nItems);
  for (let k = 0; k < interactions.byUser.indices.length; k++) pop[interactions.byUser.indices[k]!]! += interactions.byUser.values[k]!;
  const popMax = maxOf(pop);

  // test plays: every listened play at or after the user's cut, sampled down to maxTargets
  let targets: { u: UserLog; i: number }[] = [];
  for (const u of logs) {
    const at = cut.get(u.user);
    if (at === undefined) continue;
    u.events.forEach((e, i) => {
      if (e.play && e.ts >= at) targets.push({ u, i });
    });
  }
  if (targets.length > o.maxTargets) {
    const rnd = mulberry32(o.seed);
    for (let i = targets.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [targets[i], targets[j]] = [targets[j]!, targets[i]!];
    }
    targets = targets.slice(0, o.maxTargets);
  }

  const names = [
    'popularity',
    'MF (plain)',
    ...o.session.map((s) => `MF + session (w ${s.weight}, decay ${s.decay})`),
    `transitions (window ${o.transitions.window}, decay ${o.transitionDecay})`,
    ...o.session.flatMap((s) => o.blend.map((b) => `blend: MF + session (w ${s.weight}, decay ${s.decay}) + ${b} × transitions`)),
  ];
  const hits = new Float64Array(names.length);
  const rr = new Float64Array(names.length);
  let unknown = 0;
  const t0 = performance.now();
  targets.forEach(({ u, i }, n) => {
    if (n % 500 === 0) log(`  ${o.level}: test play ${n} / ${targets.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    const target = u.events[i]!;
    const now = target.ts;
    const history: LogEvent[] = [];
    for (let k = i - 1; k >= 0 && history.length < HISTORY_EVENTS; k--) {
      const e = u.events[k]!;
      if (e.ts >= now) continue;
      if (now - e.ts > HISTORY_MS) break;
      history.push(e);
    }
    const t = items.find(target.trackId);
    if (t === undefined) {
      unknown++;
      return;
    }
    const score = (m: number, s: Float32Array) => {
      const r = rankOf(s, t);
      if (r <= K) {
        hits[m]!++;
        rr[m]! += 1 / r;
      }
    };
    let m = 0;
    score(m++, pop);
    const base = historyStrengths(history, now);
    score(m++, foldInScores(model, items, base));
    const withSession = o.session.map((opts) => {
      const s = new Map(base);
      for (const [id, w] of sessionWeights(history, now, opts)) s.set(id, (s.get(id) ?? 0) + w);
      const scores = foldInScores(model, items, s);
      score(m++, scores);
      return scores;
    });
    const recent = sessionOf(history, now)
      .map((id) => items.find(id) ?? -1)
      .filter((x) => x >= 0);
    const tr = transitionScores(trans, recent, o.transitionDecay);
    const trMax = maxOf(tr);
    // popularity breaks ties (and ranks everything when the session is empty)
    score(
      m++,
      tr.map((v, k) => (trMax > 0 ? v / trMax : 0) + (1e-3 * pop[k]!) / popMax),
    );
    for (const mf of withSession) {
      const mfMax = maxOf(mf) || 1;
      for (const b of o.blend)
        score(
          m++,
          mf.map((v, k) => v / mfMax + (trMax > 0 ? (b * tr[k]!) / trMax : 0)),
        );
    }
  });
  const n = targets.length;
  return {
    level: o.level,
    users: logs.length,
    items: nItems,
    trainRows: rows.size,
    targets: n,
    unknownTargets: unknown,
    results: names.map((method, k) => ({ method, hit10: n ? hits[k]! / n : 0, mrr10: n ? rr[k]! / n : 0 })),
  };
}

/** The report as a markdown table. */
export function formatSessionReport(r: SessionEvalReport, data: string): string {
  const head = `${data}, next ${r.level}: ${r.users} users, ${r.trainRows} training rows, ${r.items} items, ${r.targets} test plays (${r.unknownTargets} of unseen items)`;
  const lines = r.results.map((x) => `| ${x.method} | ${x.hit10.toFixed(4)} | ${x.mrr10.toFixed(4)} |`);
  return [head, '', '| method | hit@10 | MRR@10 |', '| --- | --- | --- |', ...lines].join('\n');
}
