/**
 * npm run eval:session [-- --data lastfm1k|demo] [--users N] [--seed N] [--level track|artist|both]
 *   [--validation] [--grid] [--factors N] [--max-targets N]
 * Prints next-track and next-artist hit@10 / MRR@10 of popularity, plain MF, MF + session weights,
 * transitions and their blend on a time-ordered split (pipeline/evaluate-session.ts). `--grid` compares a small
 * grid of session weights and blends (use it with `--validation`, which evaluates on the last 20 % of
 * the training part, so the test plays never choose anything).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_LASTFM1K, demoLogs, readLastfm1k, type UserLog } from '../eval/session-data.ts';
import { DEFAULT_SESSION_EVAL, evaluateSessions, formatSessionReport, type SessionEvalOptions } from '../pipeline/evaluate-session.ts';

const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: 'lastfm1k' },
    users: { type: 'string' },
    seed: { type: 'string', default: '1' },
    level: { type: 'string', default: 'both' },
    validation: { type: 'boolean', default: false },
    grid: { type: 'boolean', default: false },
    factors: { type: 'string' },
    'max-targets': { type: 'string', default: String(DEFAULT_SESSION_EVAL.maxTargets) },
    'demo-artists': { type: 'string', default: '300' },
    'demo-days': { type: 'string', default: '60' },
    'demo-events-per-user': { type: 'string', default: '100' },
  },
});

const GRID_SESSION = [2, 8, 32, 128, 512].flatMap((weight) => [0.5, 0.8].map((decay) => ({ weight, decay })));
const GRID_BLEND = [0.5, 1, 2, 4, 8];

async function main() {
  const seed = Number(a.seed);
  const t0 = performance.now();
  let logs: UserLog[];
  let rows: SessionEvalOptions['rows'];
  if (a.data === 'lastfm1k') {
    logs = readLastfm1k(DEFAULT_LASTFM1K, a.users ? Number(a.users) : Infinity);
    // the excerpt is one listener (plus 3 plays of another): MF learns from sessions as pseudo-users
    rows = 'sessions';
  } else if (a.data === 'demo') {
    const size = {
      seed: `session-eval-${seed}`,
      users: Number(a.users ?? 2000),
      artists: Number(a['demo-artists']),
      tracksPerArtist: 10,
      days: Number(a['demo-days']),
      eventsPerUser: Number(a['demo-events-per-user']),
    };
    console.error(`generating the demo world (${JSON.stringify(size)})…`);
    logs = demoLogs(size);
    rows = 'users';
  } else throw new Error(`--data must be lastfm1k or demo, got "${a.data}"`);
  const events = logs.reduce((n, u) => n + u.events.length, 0);
  console.error(`${a.data}: ${logs.length} users, ${events} events (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const levels = a.level === 'both' ? (['track', 'artist'] as const) : [a.level as 'track' | 'artist'];
  for (const level of levels) {
    const report = await evaluateSessions(logs, {
      ...DEFAULT_SESSION_EVAL,
      level,
      rows,
      seed,
      validation: a.validation!,
      // the excerpt has ~200 artists and ~300 sessions: 32 factors (the demo world: 64)
      factors: Number(a.factors ?? (a.data === 'lastfm1k' ? 32 : DEFAULT_SESSION_EVAL.factors)),
      maxTargets: Number(a['max-targets']),
      ...(a.grid ? { session: GRID_SESSION, blend: GRID_BLEND } : {}),
      log: (l) => console.error(l),
    });
    console.log(`\n${formatSessionReport(report, `${a.data}${a.validation ? ' (validation split)' : ''}, seed ${seed}`)}`);
  }
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(`eval-session: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
