/**
 * `npm run experiment -- --sessions N [--mode split|interleave|both] [--candidate VERSION]`: an online
 * experiment in the closed-loop simulator, against the Backbeat `npm start` runs.
 *
 * By default it compares the active model with the week's popular tracks (a settings-only arm of the
 * same model); `--candidate VERSION` compares the active model with another uploaded version (the
 * learned ranker, say). Each mode runs its own experiment over N simulated listener sessions, then
 * prints the report: per-arm conversion, streams, saves and skip rate with the lift and its 95 %
 * interval (split), or the preference share with its interval (interleaving), and whether the online
 * verdict agrees with the offline one (`--offline-better control|candidate`; for popularity the offline
 * verdict is `npm run eval`'s: iALS NDCG@20 0.333 against 0.102).
 *
 * The demo's own experiment is paused while this runs and started again afterwards.
 *
 *   --sessions 400     listener sessions per experiment
 *   --share 0.5        the candidate's share of listeners (split)
 *   --concurrency 4    sessions in flight
 */
import { parseArgs } from 'node:util';
import {
  type ArmSpec,
  activeVersion,
  experimentReport,
  runningExperiment,
  startExperiment,
  stopExperiment,
  type Target,
} from '../../models/publish/client.ts';
import { DEFAULT_PORT, ensureAdminToken } from '../lib/local-worker.ts';
import { startDemoExperiment } from './model-step.ts';
import { terminalReporter } from './progress.ts';
import { createSimulator, describeStats } from './simulator.ts';
import { DEFAULT_STATE_FILE, readState, writeState } from './state.ts';

const { values: a } = parseArgs({
  options: {
    sessions: { type: 'string', default: '400' },
    mode: { type: 'string', default: 'both' },
    candidate: { type: 'string' },
    share: { type: 'string', default: '0.5' },
    concurrency: { type: 'string', default: '4' },
    'offline-better': { type: 'string' },
    url: { type: 'string', default: `http://127.0.0.1:${DEFAULT_PORT}` },
    state: { type: 'string', default: DEFAULT_STATE_FILE },
  },
});

function fail(message: string): never {
  console.error(`experiment: ${message}`);
  process.exit(2);
}

const sessions = Number(a.sessions);
const share = Number(a.share);
const concurrency = Number(a.concurrency);
if (!(Number.isInteger(sessions) && sessions > 0)) fail('--sessions must be a positive integer');
if (!(share > 0 && share < 1)) fail('--share must be between 0 and 1');
if (!(Number.isInteger(concurrency) && concurrency > 0)) fail('--concurrency must be a positive integer');
if (!['split', 'interleave', 'both'].includes(a.mode)) fail('--mode is split, interleave or both');
const offlineBetter = a['offline-better'] ?? (a.candidate ? undefined : 'control');
if (offlineBetter !== undefined && offlineBetter !== 'control' && offlineBetter !== 'candidate')
  fail('--offline-better is control or candidate');

const state = readState(a.state);
const appKey = state?.keys?.app.key;
if (!appKey) fail('no demo keys: run npm start first (it writes .data/demo.json)');
const target: Target = { url: a.url, key: ensureAdminToken() };

interface LiftJson {
  treated: number;
  holdout: number;
  difference: number;
  ci_low: number | null;
  ci_high: number | null;
  relative: number | null;
  significant: boolean;
}
interface ReportJson {
  arms: Array<{
    arm: string;
    users: number;
    lists: number;
    conversion: number;
    streams_per_user: number;
    saves_per_user: number;
    skip_rate: number;
    coverage: number;
  }>;
  lift: Array<Record<'conversion' | 'streams_per_user' | 'saves_per_user' | 'skip_rate', LiftJson> & { arm: string; against: string }>;
  interleaving: {
    exposed_users: number;
    users: number;
    wins_a: number;
    wins_b: number;
    ties: number;
    preference_b: number;
    delta: number;
    ci_low: number | null;
    ci_high: number | null;
    significant: boolean;
  } | null;
}

const f = (x: number | null, digits = 3) => (x === null ? '–' : x.toFixed(digits));
const interval = (l: { ci_low: number | null; ci_high: number | null }) => `[${f(l.ci_low)}, ${f(l.ci_high)}]`;

/** 'candidate', 'control' or 'tie' (the interval covers 0), from the lift of the candidate over the control. */
function verdict(difference: number, significant: boolean, higherIsBetter = true): 'candidate' | 'control' | 'undecided' {
  if (!significant) return 'undecided';
  return difference > 0 === higherIsBetter ? 'candidate' : 'control';
}

function agreement(online: string): string {
  if (offlineBetter === undefined) return `online: ${online} (pass --offline-better to compare with the offline ranking)`;
  if (online === 'undecided') return `online: undecided at this size; offline: ${offlineBetter} is better (run more --sessions)`;
  return `online: ${online} is better; offline: ${offlineBetter} is better: ${online === offlineBetter ? 'they agree' : 'they DISAGREE'}`;
}

async function simulate(label: string): Promise<void> {
  const sim = createSimulator(a.url, appKey as string, state, { log: () => undefined });
  const bar = terminalReporter().bar(label, sessions, 'sessions');
  let next = 0;
  const worker = async () => {
    while (next < sessions) {
      next++;
      await sim.session().catch(() => {
        sim.stats.errors++;
      });
      bar.update(sim.stats.sessions);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await sim.flush();
  bar.stop();
  console.log(`  ${describeStats(sim.stats)}`);
  // Served lists are logged after each response: give the last ones a moment to land.
  await new Promise((r) => setTimeout(r, 1500));
}

async function run(mode: 'split' | 'interleave', control: string): Promise<void> {
  const candidate: ArmSpec = a.candidate
    ? { name: 'candidate', model_version: a.candidate }
    : { name: 'candidate', model_version: control, settings: { ranker: 'popular' } };
  const arms: ArmSpec[] = [{ name: 'control', model_version: control }, candidate];
  if (mode === 'split') {
    (arms[0] as ArmSpec).share = 1 - share;
    candidate.share = share;
  }
  const what = a.candidate ? `model ${a.candidate}` : 'popularity';
  const e = await startExperiment(target, `simulated: ${what} against ${control} (${mode})`, arms, mode);
  console.log(`\n${mode === 'split' ? 'Split' : 'Interleaving'} experiment ${e.id}: control = model ${control}, candidate = ${what}`);
  try {
    await simulate(mode === 'split' ? 'split sessions' : 'interleaved sessions');
  } finally {
    await stopExperiment(target, e.id);
  }
  const r = await experimentReport<ReportJson>(target, e.id);
  if (mode === 'split') {
    for (const arm of r.arms)
      console.log(
        `  ${arm.arm.padEnd(10)} ${String(arm.users).padStart(5)} listeners  conversion ${f(arm.conversion)}  streams/listener ${f(arm.streams_per_user, 2)}  saves/listener ${f(arm.saves_per_user, 3)}  skip rate ${f(arm.skip_rate)}  coverage ${f(arm.coverage, 4)}`,
      );
    const lift = r.lift[0];
    if (!lift) return;
    for (const m of ['conversion', 'streams_per_user', 'saves_per_user', 'skip_rate'] as const) {
      const l = lift[m];
      console.log(
        `  lift ${m.padEnd(17)} ${l.difference >= 0 ? '+' : ''}${f(l.difference)} ${interval(l)}${l.relative === null ? '' : ` (${l.relative >= 0 ? '+' : ''}${(l.relative * 100).toFixed(1)} %)`}${l.significant ? ' significant' : ''}`,
      );
    }
    console.log(`  ${agreement(verdict(lift.streams_per_user.difference, lift.streams_per_user.significant))} (streams per listener)`);
  } else if (r.interleaving) {
    const i = r.interleaving;
    console.log(
      `  ${i.exposed_users} listeners served, ${i.users} with a credited stream: control won ${i.wins_a}, candidate ${i.wins_b}, ties ${i.ties}`,
    );
    console.log(
      `  Δ (candidate preference − ½) ${i.delta >= 0 ? '+' : ''}${f(i.delta)} ${interval(i)}${i.significant ? ' significant' : ''}`,
    );
    console.log(`  ${agreement(verdict(i.delta, i.significant))}`);
  }
}

const control = await activeVersion(target);
if (!control) fail('no model is active: npm start trains and activates one');
const paused = await runningExperiment(target);
if (paused) {
  console.log(`pausing the running experiment ${paused.id} ("${paused.name}")`);
  await stopExperiment(target, paused.id);
}
try {
  if (a.mode !== 'interleave') await run('split', control);
  if (a.mode !== 'split') await run('interleave', control);
} finally {
  if (paused && state) {
    const e = await startDemoExperiment(target, control);
    state.experiment = { id: e.id, name: e.name, at: new Date().toISOString() };
    writeState(a.state, state);
    console.log(`\nthe demo experiment runs again as ${e.id}`);
  }
}
