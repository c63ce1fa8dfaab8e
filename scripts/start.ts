/**
 * `npm start`: the whole product on one machine. Applies migrations to local D1, generates and loads
 * the demo world through the API (first start only), trains and activates a model, mints demo keys,
 * serves API and dashboard with wrangler dev on http://localhost:8787 and runs the closed-loop
 * listener simulator in the background. A second start reuses everything (.data/demo.json).
 *
 *   npm start                                  default world
 *   npm start -- --users 2000 --artists 300    a smaller world (only on a fresh state; see npm run reset)
 *   npm start -- --no-world                    no generated world: import a real dataset instead
 *   npm start -- --rate 0                      no background simulator
 *   npm start -- --pace 5                      the simulator at 5× the history's daily volume (default 2)
 *   npm start -- --rate 3                      … or at 3 sessions/s (a load test)
 *   npm start -- --warmup 0                    no closed-loop warm-up on the first start
 */
import { rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { terminalReporter } from './demo/progress.ts';
import { describeDemo, startDemo } from './demo/start-sequence.ts';
import { DEFAULT_STATE_FILE } from './demo/state.ts';
import { DEFAULT_WORLD, type WorldConfig } from './demo/world.ts';
import { DEFAULT_PORT, portTaken, RUNNING_FILE } from './lib/local-worker.ts';

const { values: a } = parseArgs({
  options: {
    port: { type: 'string', default: String(DEFAULT_PORT) },
    seed: { type: 'string' },
    artists: { type: 'string' },
    'tracks-per-artist': { type: 'string' },
    users: { type: 'string' },
    days: { type: 'string' },
    'events-per-user': { type: 'string' },
    'no-world': { type: 'boolean', default: false },
    'no-train': { type: 'boolean', default: false },
    rate: { type: 'string' },
    pace: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '300' },
  },
});

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const sizes: Partial<WorldConfig> = Object.fromEntries(
  Object.entries({
    seed: a.seed,
    artists: num(a.artists),
    tracksPerArtist: num(a['tracks-per-artist']),
    users: num(a.users),
    days: num(a.days),
    eventsPerUser: num(a['events-per-user']),
  }).filter(([, v]) => v !== undefined),
);

const port = Number(a.port);
if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`--port must be a port number, not ${a.port}`);
// Before anything slow (migrations, the dashboard build, the world): a taken port is known at once.
if (await portTaken(port)) {
  fail(
    `port ${port} on 127.0.0.1 is already in use: stop what listens there (an earlier npm start? \`lsof -i :${port}\` shows it), or start on another port with \`npm start -- --port ${port + 1}\``,
  );
}

/** One line, no stack trace: what went wrong and what to do. */
function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

const t0 = performance.now();
const demo = await startDemo({
  port,
  persistTo: '.wrangler/state',
  stateFile: DEFAULT_STATE_FILE,
  world: a['no-world'] ? null : { ...DEFAULT_WORLD, ...sizes },
  train: !a['no-train'],
  buildDashboard: true,
  simulateRate: a.rate === undefined ? null : Number(a.rate),
  simulatePace: Number(a.pace),
  warmupSessions: Number(a.warmup),
  reporter: terminalReporter(),
}).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
console.log(describeDemo(demo));
console.log(
  `\n  Ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (${Object.entries(demo.timings)
    .map(([k, v]) => `${k} ${v}s`)
    .join(', ')})`,
);
console.log('  Press Ctrl+C to stop.');
// `npm run reset` must not delete the state under a running instance, whatever port it listens on.
writeFileSync(RUNNING_FILE, JSON.stringify({ pid: process.pid, url: demo.url }));
process.on('exit', () => rmSync(RUNNING_FILE, { force: true }));

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await demo.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
demo.server.process.on('exit', (code) => {
  if (stopping) return;
  console.error(`wrangler dev exited (${code})`);
  void demo.stop().then(() => process.exit(code ?? 1));
});
