/**
 * `npm run simulate -- --minutes N --rate R`: closed-loop listeners against a running Backbeat. Each
 * session picks a demo listener, asks GET /v1/users/:id/recommendations in the listener's local hour
 * and activity, acts on the served list with the behaviour model and sends the events (rec_id,
 * position, source=algorithmic). By default it continues the world's history at twice its daily
 * volume (--pace 2), so today's numbers look like the days before; --rate R sessions per second makes
 * it a load generator.
 *
 * Defaults come from .data/demo.json (written by npm start): URL, app key and the world's listeners.
 *   --url URL --key APP_KEY   another instance
 *   --minutes 0               run until stopped (npm start runs it so)
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PORT } from '../lib/local-worker.ts';
import { createSimulator, describeStats, historyRate } from './simulator.ts';

/** Sessions per second when the history's volume is unknown (imported data). */
const FALLBACK_RATE = 0.05;

import { DEFAULT_STATE_FILE, readState } from './state.ts';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    state: { type: 'string', default: DEFAULT_STATE_FILE },
    minutes: { type: 'string', default: '5' },
    rate: { type: 'string' },
    pace: { type: 'string', default: '2' },
    limit: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
  },
});

const state = readState(a.state);
const url = a.url ?? `http://127.0.0.1:${DEFAULT_PORT}`;
const key = a.key ?? state?.keys?.app.key;
if (!key) {
  console.error('No app key: pass --key, or run npm start first (it writes .data/demo.json).');
  process.exit(1);
}
const pace = Number(a.pace);
const paced = a.rate === undefined ? historyRate(state, pace) : null;
const rate = a.rate !== undefined ? Number(a.rate) : (paced ?? FALLBACK_RATE);
if (!(rate > 0) || !(pace > 0)) {
  console.error('--rate and --pace must be positive numbers');
  process.exit(1);
}
const minutes = Number(a.minutes);
const maxInFlight = Number(a.concurrency);
const sim = createSimulator(url, key, state, { limit: Number(a.limit) });

let inFlight = 0;
let dropped = 0;
const line = (label: string) =>
  console.log(`${label}  ${describeStats(sim.stats)}${dropped ? `  dropped ${dropped} (server too slow for the rate)` : ''}`);

const why =
  a.rate !== undefined ? '' : paced !== null ? ` (${pace}× the history's daily volume)` : ' (no generated world in the state: pass --rate)';
console.log(
  `Simulating listeners against ${url} at ${rate.toPrecision(3)} sessions/s${why}${minutes > 0 ? ` for ${minutes} min` : ' until stopped'}`,
);
const tick = setInterval(() => {
  if (inFlight >= maxInFlight) {
    dropped++;
    return;
  }
  inFlight++;
  sim
    .session()
    .catch((err: unknown) => {
      sim.stats.errors++;
      if (sim.stats.errors <= 5) console.error(`session failed: ${(err as Error).message}`);
    })
    .finally(() => {
      inFlight--;
    });
}, 1000 / rate);
const flusher = setInterval(() => void sim.flush(), 1000);
const reporter = setInterval(() => {
  line(new Date().toISOString().slice(11, 19));
  sim.stats.latencies = sim.stats.latencies.slice(-2000);
}, 10_000);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(tick);
  const deadline = Date.now() + 10_000;
  while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  clearInterval(flusher);
  clearInterval(reporter);
  await sim.flush();
  line('total');
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Started by npm start with an IPC channel: when npm start goes away, so does the simulator.
process.on('disconnect', stop);
if (minutes > 0) setTimeout(stop, minutes * 60_000);
